// Into the hypervisor over DAP: stepping into an instruction that traps (trap), calls out (bt),
// makes a hypercall (pv) or exits (hw) puts a VMM frame on the stack with a generated read-only
// listing that stepping walks and leaves; exception filters stop on traps, holes, exits,
// hypercalls, translations and guest exceptions, and exceptionInfo names what happened.

import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { buildOnce, forEachMode, HELLO_PV, HELLO, KERNEL, launchStopped, lineOf, modeAvailable, startClient, stopAfter, topFrame, TRAP_HOLES } from './dapHarness';

/** The VMM event kind stepping into hello's first VMM entry makes, per mode. */
const ENTRY_KIND: Readonly<Record<string, string | null>> = { native: null, trap: 'trap', bt: 'callout', pv: 'hypercall', hw: 'exit' };

async function frames(dc: DebugClient): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
}

describe('dap: the VMM frame and exception filters', function () {
  let dc: DebugClient;
  before(buildOnce);
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await dc.stop(); });

  forEachMode((alias, { hello }) => {
    const entryLine = alias === 'pv' ? lineOf(HELLO_PV, 'int HYPERCALL') : lineOf(HELLO, 'out dx, al');

    it(ENTRY_KIND[alias] === null ? 'stepping into OUT stays in the guest (no VMM)' : `stepping into the ${ENTRY_KIND[alias]} shows the VMM frame, walks it and returns`, async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      await dc.setBreakpointsRequest({ source: { path: hello }, breakpoints: [{ line: entryLine }] });
      await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      const stop = await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
      const stack = await frames(dc);
      const kind = ENTRY_KIND[alias];
      if (kind === null) {
        assert.strictEqual(stack[0]!.source!.path, hello);
        return;
      }
      assert.match(stop.body.description ?? '', /Stepped into the VMM/);
      const vmm = stack[0]!;
      assert.match(vmm.name, new RegExp(`^VMM ${kind}: `));
      assert.strictEqual(stack[1]!.source!.path, hello, 'the guest frame below the VMM');
      const ref = vmm.source!.sourceReference!;
      assert.ok(ref > 0);
      const listing = (await dc.sourceRequest({ sourceReference: ref, source: vmm.source! })).body.content;
      for (const step of ['update:', 'shadow:', 'resume:']) assert.ok(listing.includes(step), `${step} in\n${listing}`);
      if (alias === 'hw') {
        assert.match(listing, /vm_exit: +basic exit reason 30 IO_INSTRUCTION/);
        assert.match(listing, /vmcs: +.*0x/); // the exit-information fields the hardware wrote
      }
      if (alias === 'pv') assert.match(listing, /console_io/);
      const lines = listing.trimEnd().split('\n');
      assert.strictEqual(lines[vmm.line - 1]!.startsWith(';'), false, 'stopped on the first action, not the header');
      // The listing is read-only: breakpoints in it are refused, not an error.
      const inListing = await dc.setBreakpointsRequest({ source: vmm.source!, breakpoints: [{ line: vmm.line }] });
      assert.strictEqual(inListing.body.breakpoints[0]!.verified, false);
      // The VMM event scope says what entered the VMM.
      const scopes = await dc.scopesRequest({ frameId: vmm.id });
      assert.strictEqual(scopes.body.scopes[0]!.name, 'VMM event');
      // Walk the listing line by line, then back in the guest.
      let line = vmm.line;
      for (let i = 0; i < 40; i++) {
        await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
        const top = (await frames(dc))[0]!;
        if (!top.name.startsWith('VMM ')) {
          assert.strictEqual(line, lines.length, 'left after the last line');
          assert.strictEqual(top.source!.path, hello);
          return;
        }
        assert.strictEqual(top.line, line + 1);
        line = top.line;
      }
      assert.fail('never left the VMM frame');
    });

    // kernel-pv maps its pages through mmuext_op, without a demand fault: no #PF to catch there.
    if (alias !== 'pv') it('the guest exception filter stops when #PF is delivered (kernel maps a page on demand)', async () => {
      await launchStopped(dc, { program: KERNEL, mode: alias });
      const r = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'guest-exception', condition: '#PF' }] });
      assert.strictEqual(r.body!.breakpoints![0]!.verified, true);
      const stop = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.strictEqual(stop.body.reason, 'exception');
      const info = await dc.exceptionInfoRequest({ threadId: 1 });
      assert.strictEqual(info.body.exceptionId, 'guest-exception');
      assert.match(info.body.description!, /^#PF delivered/);
      assert.strictEqual((await topFrame(dc)).name, 'pf_handler');
    });
  });

  const filterCases: { alias: string; program: string; filter: string; condition?: string; expect: RegExp; details: RegExp }[] = [
    { alias: 'trap', program: HELLO, filter: 'privileged', expect: /^Privileged instruction trapped at 0x[0-9a-f]{8} \(in al, dx\)/, details: /emulated/ },
    { alias: 'trap', program: TRAP_HOLES, filter: 'hole', expect: /^Hole: non-virtualizable instruction at 0x[0-9a-f]{8} \(jmp 0x0008:/, details: /far transfer/ },
    { alias: 'bt', program: HELLO, filter: 'translation', expect: /^Block translated/, details: /./ },
    { alias: 'bt', program: HELLO, filter: 'privileged', expect: /^Call-out to the VMM/, details: /in al, dx|out dx, al/ },
    { alias: 'pv', program: HELLO_PV, filter: 'hypercall', condition: '29', expect: /^Hypercall/, details: /^sched_op\(/ },
    { alias: 'hw', program: HELLO, filter: 'vmexit', condition: 'IO_INSTRUCTION', expect: /^VM exit 30 IO_INSTRUCTION/, details: /exit reason 30 \(IO_INSTRUCTION\), qualification 0x/ },
  ];
  for (const c of filterCases) {
    it(`under ${c.alias}, the '${c.filter}' filter${c.condition ? ` (${c.condition})` : ''} stops, and exceptionInfo says why`, async function () {
      if (!modeAvailable(c.alias)) this.skip();
      await launchStopped(dc, { program: c.program, mode: c.alias });
      const options = [{ filterId: c.filter, ...(c.condition !== undefined ? { condition: c.condition } : {}) }];
      await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: options });
      const stop = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.strictEqual(stop.body.reason, 'exception');
      const info = await dc.exceptionInfoRequest({ threadId: 1 });
      assert.strictEqual(info.body.exceptionId, c.filter);
      assert.match(info.body.description!, c.expect);
      assert.match(info.body.details!.message!, c.details);
    });
  }

  it('under a type 2 hypervisor the VMM frame shows the world switch through the host OS', async function () {
    if (!modeAvailable('trap')) this.skip();
    await launchStopped(dc, { program: HELLO, mode: 'trap', hypervisor: 'type2' });
    await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: lineOf(HELLO, 'out dx, al') }] });
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    const vmm = (await frames(dc))[0]!;
    const listing = (await dc.sourceRequest({ sourceReference: vmm.source!.sourceReference!, source: vmm.source! })).body.content;
    assert.match(listing, /type 2: a world switch through the host OS first/);
    assert.match(listing, /count: +.*worldSwitches \+1/);
  });

  it('a filter for another mode is accepted but unverified, with the reason', async () => {
    await launchStopped(dc, { program: HELLO, mode: 'native' });
    const r = await dc.setExceptionBreakpointsRequest({ filters: ['vmexit', 'guest-exception'] });
    assert.strictEqual(r.body!.breakpoints![0]!.verified, false);
    assert.match(r.body!.breakpoints![0]!.message!, /never fires under native/);
    assert.strictEqual(r.body!.breakpoints![1]!.verified, true);
  });
});
