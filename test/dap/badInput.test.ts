// Bad input never kills a session: malformed messages, requests before launch or while running,
// unknown references, missing arguments, bad memory references; each gets an error response
// (or is dropped, for bytes that are not a message) and the session answers the next request.

import * as assert from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { buildOnce, HELLO, launchStopped, rawRequest, startClient } from './dapHarness';
import { tempDir } from '../support/tempDir';

function frame(json: string): string {
  return `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`;
}

describe('dap: bad input', function () {
  let dc: DebugClient;
  before(buildOnce);
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await dc.stop(); });

  it('bytes that are not JSON are dropped; the next request is answered', async () => {
    const child = spawn(process.execPath, [path.join(__dirname, 'dapEntry.js')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    child.stdin.write(frame('{oops, not json'));
    child.stdin.write(frame('[1, 2, 3]'));
    child.stdin.write(frame(JSON.stringify({ type: 'request', seq: 7, command: 'initialize', arguments: { adapterID: 'ringlab', pathFormat: 'path' } })));
    const deadline = Date.now() + 10000;
    while (!out.includes('"request_seq":7') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill();
    assert.match(out, /"request_seq":7,"command":"initialize","success":true/);
  });

  it('requests before launch answer that no program runs', async () => {
    for (const command of ['stackTrace', 'continue', 'next', 'evaluate', 'setBreakpoints', 'readMemory']) {
      const r = await rawRequest(dc, command, { threadId: 1, expression: 'eax', source: { path: HELLO }, memoryReference: '0x0', count: 1 });
      assert.strictEqual(r.success, false, command);
      assert.match(r.message!, /no program is running/, command);
    }
  });

  it('unknown references, missing arguments and bad addresses are error responses; the session lives on', async () => {
    await launchStopped(dc, { program: HELLO });
    const cases: [string, unknown, RegExp][] = [
      ['variables', { variablesReference: 987654 }, /unknown variablesReference 987654/],
      ['variables', {}, /unknown variablesReference undefined/],
      ['setVariable', { variablesReference: 42424, name: 'eax', value: '1' }, /unknown variablesReference 42424/],
      ['source', { sourceReference: 31337 }, /unknown sourceReference 31337/],
      ['setBreakpoints', { breakpoints: [{ line: 3 }] }, /source\.path is required/],
      ['setFunctionBreakpoints', {}, /breakpoints must be an array/],
      ['scopes', {}, /frameId is required/],
      ['readMemory', { memoryReference: 'somewhere', count: 4 }, /'somewhere' is not a memory reference/],
      ['writeMemory', { memoryReference: '0x00100000' }, /data \(base64\) is required/],
      ['writeMemory', { memoryReference: '0xfffff000', data: 'QQ==' }, /not mapped to guest RAM/],
      ['disassemble', { memoryReference: 12, instructionCount: 3 }, /not a memory reference/],
      ['exceptionInfo', { threadId: 1 }, /not stopped on an exception/],
      ['launch', { program: HELLO }, /already launched/],
      ['ringlab/noSuchThing', {}, /unknown request 'ringlab\/noSuchThing'/],
      ['setDataBreakpoints', { breakpoints: [{ dataId: 'garbage' }] }, /^$/],
    ];
    for (const [command, args, message] of cases) {
      const r = await rawRequest(dc, command, args);
      if (command === 'setDataBreakpoints') {
        assert.strictEqual(r.success, true);
        assert.strictEqual((r.body as { breakpoints: { verified: boolean }[] }).breakpoints[0]!.verified, false);
        continue;
      }
      assert.strictEqual(r.success, false, `${command} ${JSON.stringify(args)}`);
      assert.match(r.message ?? '', message, command);
    }
    // Still answering, and the guest still runs to its end.
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.ok(st.body.stackFrames.length >= 1);
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    await exited;
  });

  it('inspecting while the guest runs is refused, not answered with stale state', async () => {
    const dir = tempDir('dap');
    const loop = path.join(dir, 'loop.gasm');
    require('node:fs').writeFileSync(loop, 'bits 32\norg 0x100000\n_start:\n  jmp _start\n');
    await launchStopped(dc, { program: loop });
    await dc.continueRequest({ threadId: 1 });
    const r = await rawRequest(dc, 'stackTrace', { threadId: 1 });
    assert.strictEqual(r.success, false);
    assert.match(r.message!, /the guest is running/);
    const stopped = dc.waitForEvent('stopped');
    await dc.pauseRequest({ threadId: 1 });
    await stopped;
    assert.strictEqual((await dc.stackTraceRequest({ threadId: 1 })).success, true);
  });
});
