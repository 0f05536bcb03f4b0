// ringlab dap: initialize, launch (stop on entry, configuration errors naming the field, a program
// that does not assemble), guest output as output events, the end of the run, restart, terminate.

import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { buildOnce, HELLO, EXAMPLES, launchStopped, lineOf, MODE_ALIASES, modeAvailable, rawRequest, startClient, stopAfter, topFrame } from './dapHarness';
import { tempDir } from '../support/tempDir';

/** The hello program each mode runs (pv needs its PV port). */
export function helloFor(alias: string): string {
  return alias === 'pv' ? path.join(EXAMPLES, 'hello-pv.gasm') : HELLO;
}

describe('dap: launch and lifecycle', function () {
  let dc: DebugClient;
  before(buildOnce);
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await dc.stop(); });

  it('initialize declares the capabilities and the six exception filters', async () => {
    const other = await startClient();
    try {
      const r = await other.initializeRequest({ adapterID: 'ringlab', pathFormat: 'path' });
      const caps = r.body!;
      for (const key of ['supportsConfigurationDoneRequest', 'supportsFunctionBreakpoints', 'supportsConditionalBreakpoints', 'supportsHitConditionalBreakpoints',
        'supportsLogPoints', 'supportsDataBreakpoints', 'supportsInstructionBreakpoints', 'supportsReadMemoryRequest', 'supportsWriteMemoryRequest',
        'supportsDisassembleRequest', 'supportsExceptionInfoRequest', 'supportsSetVariable', 'supportsRestartRequest', 'supportsTerminateRequest'] as const) {
        assert.strictEqual(caps[key], true, key);
      }
      assert.deepStrictEqual(caps.exceptionBreakpointFilters!.map((f) => f.filter), ['privileged', 'hole', 'vmexit', 'hypercall', 'translation', 'guest-exception']);
    } finally {
      await other.stop();
    }
  });

  for (const alias of MODE_ALIASES) {
    describe(`under ${alias}`, function () {
      before(function () { if (!modeAvailable(alias)) this.skip(); });

      it('stops on entry at _start, in the source', async () => {
        const program = helloFor(alias);
        const stop = await launchStopped(dc, { program, mode: alias });
        assert.strictEqual(stop.body.reason, 'entry');
        const f = await topFrame(dc);
        assert.strictEqual(f.source?.path, program);
        assert.strictEqual(f.line, lineOf(program, '_start:') + 1);
        assert.strictEqual(f.name, '_start');
        const threads = await dc.threadsRequest();
        assert.strictEqual(threads.body.threads.length, 1);
      });

      it('streams the guest console as output events and ends with the exit code', async () => {
        const output = dc.assertOutput('stdout', 'Hello from a RingLab guest!');
        const exited = dc.waitForEvent('exited');
        const terminated = dc.waitForEvent('terminated');
        await dc.launchRequest({ program: helloFor(alias), mode: alias } as never);
        await dc.configurationDoneRequest();
        await output;
        assert.strictEqual((await exited).body.exitCode, 1);
        await terminated;
      });
    });
  }

  it('a configuration error names the field, and the session lives on', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /^program: /],
      [{ program: HELLO, mode: 'turbo' }, /^mode: unknown mode "turbo"/],
      [{ program: HELLO, memory: 'lots' }, /^memory: /],
      [{ program: HELLO, hypervisor: 'type3' }, /^hypervisor: /],
      [{ program: HELLO, stopOnEntry: 'yes' }, /^stopOnEntry: /],
      [{ program: HELLO, maxInstructions: -1 }, /^maxInstructions: /],
      [{ program: HELLO, mode: 'hw', vmcs: 'all of them' }, /^vmcs: expected an object/],
      [{ program: HELLO, console: 'printer' }, /^console: /],
      [{ program: path.join(EXAMPLES, 'no-such-file.gasm') }, /^program: cannot read/],
    ];
    for (const [args, message] of cases) {
      const r = await rawRequest(dc, 'launch', args);
      assert.strictEqual(r.success, false, JSON.stringify(args));
      assert.match(r.message ?? '', message, JSON.stringify(args));
    }
    assert.strictEqual((await dc.threadsRequest()).success, true);
  });

  it('a VMCS control the hypervisor does not know names the field; vmcs under another mode is a warning', async function () {
    if (modeAvailable('hw')) {
      const r = await rawRequest(dc, 'launch', { program: HELLO, mode: 'hw', vmcs: { turboExiting: true } });
      assert.strictEqual(r.success, false);
      assert.match(r.message ?? '', /^vmcs\.turboExiting: unknown VMCS control/);
    }
    const said: string[] = [];
    dc.on('output', (e: { body: { output: string } }) => said.push(e.body.output));
    const stop = await launchStopped(dc, { program: HELLO, mode: 'native', vmcs: { hltExiting: true } });
    assert.strictEqual(stop.body.reason, 'entry');
    assert.ok(said.some((t) => /^vmcs: ignored, VMCS controls apply to mode hardware-assisted \(hw\) only, not native/.test(t)), said.join(''));
  });

  it('a program that does not assemble fails the launch with the assembler\'s first errors, positioned', async () => {
    const dir = tempDir('dap');
    const bad = path.join(dir, 'bad.gasm');
    fs.writeFileSync(bad, 'bits 32\n_start:\n  mov eax, 1\n  frobnicate eax\n  jmp nowhere\n');
    const r = await rawRequest(dc, 'launch', { program: bad });
    assert.strictEqual(r.success, false);
    assert.match(r.message ?? '', new RegExp(`${bad.replace(/[.\\/]/g, '\\$&')}:4:3: error: `));
    assert.match(r.message ?? '', /:5:\d+: error: .*nowhere/);
    // Still alive: a good launch works afterwards.
    const stop = await launchStopped(dc, { program: HELLO });
    assert.strictEqual(stop.body.reason, 'entry');
  });

  it('restart boots a fresh machine and stops on entry again; breakpoints carry over', async () => {
    await launchStopped(dc, { program: HELLO });
    const line = lineOf(HELLO, 'out dx, al');
    await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line }] });
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.strictEqual((await topFrame(dc)).line, line);
    const again = await stopAfter(dc, () => dc.restartRequest({}));
    assert.strictEqual(again.body.reason, 'entry');
    assert.strictEqual((await topFrame(dc)).line, lineOf(HELLO, '_start:') + 1);
    const hit = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.strictEqual(hit.body.reason, 'breakpoint');
    assert.strictEqual((await topFrame(dc)).line, line);
  });

  it('terminate while the guest runs ends it without a later stop', async () => {
    const dir = tempDir('dap');
    const loop = path.join(dir, 'loop.gasm');
    fs.writeFileSync(loop, 'bits 32\norg 0x100000\n_start:\n  jmp _start\n');
    await launchStopped(dc, { program: loop });
    let stops = 0;
    dc.on('stopped', () => { stops++; });
    await dc.continueRequest({ threadId: 1 });
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest({});
    await terminated;
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(stops, 0);
  });

  it('terminate ends the session with a terminated event', async () => {
    await launchStopped(dc, { program: HELLO });
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest({});
    await terminated;
  });
});
