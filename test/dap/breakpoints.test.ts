// Breakpoints over DAP under every mode: source lines (verified, moved to the next instruction,
// unverified in a file that is not the program), conditions on registers, hit counts, logpoints,
// function breakpoints on labels (in an %include file too), instruction breakpoints by address.

import * as assert from 'node:assert';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { buildOnce, forEachMode, HELLO_PV, KERNEL_PV, EXAMPLES, HELLO, KERNEL, launchStopped, lineOf, startClient, stopAfter, topFrame } from './dapHarness';


async function value(dc: DebugClient, expression: string): Promise<number> {
  const r = await dc.evaluateRequest({ expression, context: 'watch' });
  return Number(/^0x[0-9a-f]+/.exec(r.body.result)![0]);
}

describe('dap: breakpoints', function () {
  let dc: DebugClient;
  before(buildOnce);
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await dc.stop(); });

  forEachMode((alias, { hello, kernel }) => {
    /** A line inside hello's loop (native) or its last hypercall (pv). */
    const hot = alias === 'pv' ? lineOf(HELLO_PV, 'mov eax, __HYPERVISOR_sched_op') : lineOf(HELLO, 'out dx, al');

    it('a line breakpoint is verified and hit; a blank line moves to the next instruction', async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      const blank = lineOf(hello, 'message:') - 1;
      const r = await dc.setBreakpointsRequest({ source: { path: hello }, breakpoints: [{ line: hot }, { line: blank }] });
      assert.strictEqual(r.body.breakpoints[0]!.verified, true);
      assert.strictEqual(r.body.breakpoints[0]!.line, hot);
      const moved = r.body.breakpoints[1]!;
      // Past the last instruction there is nothing to move to; before it, the next instruction.
      if (moved.verified) assert.ok(moved.line! > blank);
      const stop = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.strictEqual(stop.body.reason, 'breakpoint');
      assert.deepStrictEqual(stop.body.hitBreakpointIds, [r.body.breakpoints[0]!.id]);
      assert.strictEqual((await topFrame(dc)).line, hot);
    });

    it('a breakpoint in a file that is not the program is unverified, with the reason', async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      const r = await dc.setBreakpointsRequest({ source: { path: KERNEL }, breakpoints: [{ line: 50 }] });
      assert.strictEqual(r.body.breakpoints[0]!.verified, false);
      assert.match(r.body.breakpoints[0]!.message!, /not part of the program/);
    });

    it('a condition on registers stops only where it holds', async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      const condition = alias === 'pv' ? 'eax == 29 && ebx == 2' : 'bl == 0x6c && al == bl';
      if (alias === 'pv') {
        await dc.setBreakpointsRequest({ source: { path: hello }, breakpoints: [{ line: lineOf(HELLO_PV, 'int HYPERCALL'), condition: 'eax == 18' }, { line: hot + 1, condition }] });
      } else {
        await dc.setBreakpointsRequest({ source: { path: hello }, breakpoints: [{ line: hot, condition }] });
      }
      await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      if (alias === 'pv') {
        assert.strictEqual(await value(dc, 'eax'), 18);
        await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
        assert.strictEqual(await value(dc, 'eax'), 29);
      } else {
        assert.strictEqual(await value(dc, 'bl'), 0x6c); // the first 'l' of "Hello"
        assert.strictEqual(await value(dc, 'esi'), await value(dc, 'message') + 2);
      }
    });

    it('a hit count stops on the Nth hit; a logpoint prints and does not stop', async () => {
      if (alias === 'pv') {
        // kernel-pv's puts measures the string in a loop (lib/pvconsole.inc).
        const inc = path.join(EXAMPLES, 'lib', 'pvconsole.inc');
        await launchStopped(dc, { program: KERNEL_PV, mode: alias });
        await dc.setBreakpointsRequest({ source: { path: inc }, breakpoints: [{ line: lineOf(inc, 'inc ecx'), hitCondition: '4' }, { line: lineOf(inc, '.len:'), logMessage: 'at {ecx}' }] });
        const logged = dc.assertOutput('console', 'at 0x0\nat 0x1\nat 0x2\nat 0x3\n');
        await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
        assert.strictEqual(await value(dc, 'ecx'), 3);
        await logged;
        return;
      }
      await launchStopped(dc, { program: hello, mode: alias });
      await dc.setBreakpointsRequest({
        source: { path: hello },
        breakpoints: [{ line: hot, hitCondition: '4' }, { line: lineOf(HELLO, 'inc esi'), logMessage: 'sent {bl}' }],
      });
      const logged = dc.assertOutput('console', 'sent 0x48\nsent 0x65\nsent 0x6c\n');
      await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.strictEqual(await value(dc, 'bl'), 0x6c); // H e l l: the fourth is the second 'l'
      assert.strictEqual(await value(dc, 'esi'), await value(dc, 'message') + 3);
      await logged;
    });

    it('a function breakpoint stops at the label, in its %include file', async () => {
      await launchStopped(dc, { program: kernel, mode: alias });
      const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'puts' }, { name: 'no_such_label' }] });
      assert.strictEqual(r.body.breakpoints[0]!.verified, true);
      assert.strictEqual(r.body.breakpoints[1]!.verified, false);
      const stop = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.strictEqual(stop.body.reason, 'function breakpoint');
      const f = await topFrame(dc);
      assert.strictEqual(f.name, 'puts');
      assert.match(f.source!.path!, /lib[\\/](serial|pvconsole)\.inc$/);
    });

    it('an instruction breakpoint stops at its address', async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      const dis = await dc.disassembleRequest({ memoryReference: (await topFrame(dc)).instructionPointerReference!, instructionCount: 4 });
      const third = dis.body!.instructions[2]!.address;
      const r = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: third }] });
      assert.strictEqual(r.body.breakpoints[0].verified, true);
      const stop = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.strictEqual(stop.body.reason, 'instruction breakpoint');
      assert.strictEqual((await topFrame(dc)).instructionPointerReference, third);
    });
  });
});
