// Stepping over DAP under every mode: next over a call (its output arrives meanwhile), step into
// a call and out again, instruction granularity, a single step that takes an interrupt stops at
// the handler's first instruction, and pause stops an endless loop at once.

import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { buildOnce, forEachMode, eip, launchStopped, lineOf, startClient, stopAfter, topFrame } from './dapHarness';
import { tempDir } from '../support/tempDir';

const FRAMES = `bits 32
org 0x100000
_start:
  mov esp, 0x90000
  xor ebp, ebp
  call outer
  mov al, 0
  out 0xF4, al
outer:
  push ebp
  mov ebp, esp
  call inner
  pop ebp
  ret
inner:
  push ebp
  mov ebp, esp
  nop
  pop ebp
  ret
`;

describe('dap: stepping', function () {
  let dc: DebugClient;
  before(buildOnce);
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await dc.stop(); });

  forEachMode((alias, { kernel }) => {

    it('next steps a line, and over a call (whose output arrives on the way)', async () => {
      await launchStopped(dc, { program: kernel, mode: alias });
      const first = (await topFrame(dc)).line!;
      await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
      assert.strictEqual((await topFrame(dc)).line, first + 1);
      const call = lineOf(kernel, 'call puts');
      while ((await topFrame(dc)).line! < call) await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
      assert.strictEqual((await topFrame(dc)).line, call);
      const printed = dc.assertOutput('stdout', 'kernel: booted');
      const stop = await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
      assert.strictEqual(stop.body.reason, 'step');
      assert.strictEqual((await topFrame(dc)).line, call + 1);
      await printed;
    });

    it('next over a system call (int 0x80 from ring 3) runs its handler through', async () => {
      await launchStopped(dc, { program: kernel, mode: alias });
      const syscall = lineOf(kernel, 'int 0x80');
      await dc.setBreakpointsRequest({ source: { path: kernel }, breakpoints: [{ line: syscall }] });
      await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.strictEqual((await dc.evaluateRequest({ expression: 'vcpl', context: 'watch' })).body.result, '0x00000003 (3)');
      let printed = '';
      dc.on('output', (e: { body: { category?: string; output: string } }) => { if (e.body.category === 'stdout') printed += e.body.output; });
      await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
      const after = await topFrame(dc);
      assert.ok(after.line! > syscall && after.line! <= syscall + 2, `stopped at line ${after.line}, after the int at ${syscall}`);
      assert.strictEqual((await dc.evaluateRequest({ expression: 'vcpl', context: 'watch' })).body.result, '0x00000003 (3)');
      assert.match(printed, /^user: hello from ring 3, through int 0x80\r\n/, 'the handler ran during the step');
    });

    it('stepIn enters a call, stepOut returns after it', async () => {
      await launchStopped(dc, { program: kernel, mode: alias });
      const call = lineOf(kernel, 'call puts');
      await dc.setBreakpointsRequest({ source: { path: kernel }, breakpoints: [{ line: call }] });
      await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      // Under hw the call's push may exit to the VMM first (an EPT violation): step through it.
      await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
      for (let i = 0; i < 20 && (await topFrame(dc)).name.startsWith('VMM '); i++) await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
      const inside = await topFrame(dc);
      assert.strictEqual(inside.name, 'puts');
      assert.match(inside.source!.path!, /\.inc$/);
      await stopAfter(dc, () => dc.stepOutRequest({ threadId: 1 }));
      const back = await topFrame(dc);
      assert.strictEqual(back.source!.path, kernel);
      assert.strictEqual(back.line, call + 1);
    });

    it('instruction granularity moves by exactly one instruction', async () => {
      await launchStopped(dc, { program: kernel, mode: alias });
      const before = await eip(dc);
      const dis = await dc.disassembleRequest({ memoryReference: `0x${before.toString(16)}`, instructionCount: 2 });
      await stopAfter(dc, () => dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));
      assert.strictEqual(await eip(dc), Number(dis.body!.instructions[1]!.address));
    });

    if (alias !== 'pv') {
      it('a step that takes an interrupt stops at the handler\'s first instruction', async () => {
        await launchStopped(dc, { program: kernel, mode: alias });
        const sleep = lineOf(kernel, '.sleep: hlt');
        await dc.setBreakpointsRequest({ source: { path: kernel }, breakpoints: [{ line: sleep }] });
        await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
        const handler = Number((await dc.evaluateRequest({ expression: 'timer_handler', context: 'watch' })).body.memoryReference);
        const seen: number[] = [];
        for (let i = 0; i < 8 && !seen.includes(handler); i++) {
          // next, not stepIn: stepping into the trapping HLT would walk its VMM frame first.
          await stopAfter(dc, () => dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
          seen.push(await eip(dc));
        }
        assert.ok(seen.includes(handler), `reached ${seen.map((a) => a.toString(16)).join(' ')}`);
        assert.strictEqual((await topFrame(dc)).line, lineOf(kernel, 'timer_handler:') + 1);
      });
    }

    it('the call stack follows the EBP chain: one frame per call, named by label', async () => {
      const file = path.join(tempDir('dap'), 'frames.gasm');
      fs.writeFileSync(file, FRAMES);
      await launchStopped(dc, { program: file, mode: alias });
      await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: lineOf(file, 'nop') }] });
      await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.deepStrictEqual(frames.map((f) => [f.name, f.line]), [
        ['inner+0x3', lineOf(file, 'nop')], ['outer+0x8', lineOf(file, 'pop ebp')], ['_start+0xc', lineOf(file, 'mov al, 0')],
      ]);
    });

    it('pause stops an endless loop at once', async () => {
      const dir = tempDir('dap');
      const loop = path.join(dir, 'loop.gasm');
      fs.writeFileSync(loop, 'bits 32\norg 0x100000\n_start:\n  inc eax\n  jmp _start\n');
      await launchStopped(dc, { program: loop, mode: alias === 'pv' ? 'native' : alias });
      await dc.continueRequest({ threadId: 1 });
      await new Promise((r) => setTimeout(r, 150));
      const started = Date.now();
      const stop = await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
      assert.strictEqual(stop.body.reason, 'pause');
      assert.ok(Date.now() - started < 1000, `paused after ${Date.now() - started} ms`);
      const line = (await topFrame(dc)).line!;
      assert.ok(line === 4 || line === 5, `stopped in the loop, line ${line}`);
      // And it goes on again.
      await dc.continueRequest({ threadId: 1 });
      await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
    });
  });
});
