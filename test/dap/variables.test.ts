// Inspecting and changing the guest over DAP under every mode: scopes (registers with each flag
// and segment caches, system registers, the guest's view beside the hardware's, the virtual CPU,
// the hypervisor, the page walk), setVariable, evaluate and hover, memory reads and writes,
// disassembly, and data breakpoints on guest memory and on CR3.

import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { buildOnce, forEachMode, launchStopped, lineOf, rawRequest, startClient, stopAfter, topFrame, variablesOf } from './dapHarness';


describe('dap: variables, evaluate, memory and data breakpoints', function () {
  let dc: DebugClient;
  before(buildOnce);
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await dc.stop(); });

  forEachMode((alias, { hello, kernel }) => {

    it('scopes: registers (each flag, segment caches), system registers, guest vs hardware, VMM state, page walk', async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      const frame = await topFrame(dc);
      const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
      const names = scopes.map((s) => s.name);
      const expected = ['Registers', 'System registers', 'Guest vs hardware', ...(alias === 'native' ? [] : ['Virtual CPU', 'Hypervisor']), 'Page walk (CR3)'];
      assert.deepStrictEqual(names, expected);
      assert.strictEqual(scopes[0]!.presentationHint, 'registers');
      const regs = await variablesOf(dc, 'Registers');
      assert.deepStrictEqual(regs.slice(0, 10).map((v) => v.name), ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eip', 'eflags']);
      const eipVar = regs.find((v) => v.name === 'eip')!;
      assert.strictEqual(eipVar.memoryReference, frame.instructionPointerReference);
      assert.match(eipVar.value, /^0x[0-9a-f]{8} \(\d+\)$/);
      const flags = (await dc.variablesRequest({ variablesReference: regs.find((v) => v.name === 'eflags')!.variablesReference })).body.variables;
      for (const f of ['CF', 'ZF', 'SF', 'IF', 'DF', 'OF', 'IOPL']) assert.ok(flags.some((v) => v.name === f), f);
      const cs = (await dc.variablesRequest({ variablesReference: regs.find((v) => v.name === 'cs')!.variablesReference })).body.variables;
      assert.deepStrictEqual(cs.map((v) => v.name).slice(0, 4), ['selector', 'base', 'limit', 'type']);
      const sys = await variablesOf(dc, 'System registers');
      assert.deepStrictEqual(sys.map((v) => v.name), ['cr0', 'cr2', 'cr3', 'cr4', 'cpl', 'gdtr', 'idtr', 'ldtr', 'tr']);
      const cr0 = (await dc.variablesRequest({ variablesReference: sys[0]!.variablesReference })).body.variables;
      assert.strictEqual(cr0.find((v) => v.name === 'PE')!.value, '1');
      const gvh = await variablesOf(dc, 'Guest vs hardware');
      const cpl = gvh.find((v) => v.name === 'CPL')!.value;
      if (alias === 'native' || alias === 'hw') assert.strictEqual(cpl, 'guest 0 | hardware 0');
      else if (alias === 'pv') assert.strictEqual(cpl, 'guest 1 | hardware 1'); // a PV kernel knows it runs at ring 1
      else assert.strictEqual(cpl, 'guest 0 | hardware 1  (differs)');
      if (alias !== 'native') {
        const hv = await variablesOf(dc, 'Hypervisor');
        assert.strictEqual(hv.find((v) => v.name === 'mode')!.value, { trap: 'trap-and-emulate', bt: 'binary-translation', pv: 'paravirtual', hw: 'hardware-assisted' }[alias]);
        if (alias === 'hw') assert.ok(hv.some((v) => v.name === 'VMCS'));
        if (alias === 'bt') assert.ok(hv.some((v) => v.name === 'translation cache'));
        if (alias === 'pv') assert.match(hv.find((v) => v.name === 'shared_info')!.value, /^at 0x[0-9a-f]{8}: upcall_pending 0, upcall_mask 1$/);
      }
    });

    it('setVariable changes registers and flags; read-only rows refuse', async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      const regs = await variablesOf(dc, 'Registers');
      const ref = (await dc.scopesRequest({ frameId: (await topFrame(dc)).id })).body.scopes[0]!.variablesReference;
      const set = await dc.setVariableRequest({ variablesReference: ref, name: 'eax', value: '0x1234 + 1' });
      assert.strictEqual(set.body.value, '0x00001235 (4661)');
      assert.strictEqual((await dc.evaluateRequest({ expression: 'ax', context: 'watch' })).body.result, '0x00001235 (4661)');
      const flagsRef = regs.find((v) => v.name === 'eflags')!.variablesReference;
      await dc.setVariableRequest({ variablesReference: flagsRef, name: 'ZF', value: '1' });
      assert.strictEqual((await dc.evaluateRequest({ expression: 'zf', context: 'watch' })).body.result, '0x00000001 (1)');
      const sysRef = (await dc.scopesRequest({ frameId: (await topFrame(dc)).id })).body.scopes[1]!.variablesReference;
      const r = await rawRequest(dc, 'setVariable', { variablesReference: sysRef, name: 'cpl', value: '3' });
      assert.strictEqual(r.success, false);
      assert.match(r.message!, /read-only/);
    });

    it('evaluate: registers, labels, memory expressions, hover; errors are messages', async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      const byte = await dc.evaluateRequest({ expression: 'byte [message+2]', context: 'watch' });
      assert.strictEqual(byte.body.result, '0x0000006c (108)'); // 'l'
      const label = await dc.evaluateRequest({ expression: 'message', context: 'watch' });
      const at = Number(label.body.memoryReference);
      assert.strictEqual(byte.body.memoryReference, `0x${(at + 2).toString(16).padStart(8, '0')}`);
      const dword = await dc.evaluateRequest({ expression: `dword [message] == 0x6c6c6548 && vcpl == ${alias === 'pv' ? 1 : 0} && cpl == ${alias === 'native' || alias === 'hw' ? 0 : 1}`, context: 'repl' });
      assert.strictEqual(dword.body.result, `0x00000001 (1)`);
      const hover = await dc.evaluateRequest({ expression: 'eip', context: 'hover' });
      assert.strictEqual(hover.body.memoryReference, (await topFrame(dc)).instructionPointerReference);
      const bad = await rawRequest(dc, 'evaluate', { expression: 'eax +* 2', context: 'watch' });
      assert.strictEqual(bad.success, false);
      assert.match(bad.message!, /in 'eax \+\* 2'/);
      const unknown = await rawRequest(dc, 'evaluate', { expression: 'no_such_thing', context: 'hover' });
      assert.match(unknown.message!, /'no_such_thing' is not a register or a label/);
    });

    it('readMemory and writeMemory reach guest memory; the guest sees the write', async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      const at = (await dc.evaluateRequest({ expression: 'message', context: 'watch' })).body.memoryReference!;
      const read = await dc.customRequest('readMemory', { memoryReference: at, count: 5 });
      assert.strictEqual(Buffer.from(read.body.data, 'base64').toString('latin1'), 'Hello');
      const w = await dc.customRequest('writeMemory', { memoryReference: at, data: Buffer.from('J').toString('base64') });
      assert.strictEqual(w.body.bytesWritten, 1);
      const out = dc.assertOutput('stdout', 'Jello from a RingLab guest!');
      await dc.continueRequest({ threadId: 1 });
      await out;
    });

    it('disassemble lists instructions with their source lines, before and after an address', async () => {
      await launchStopped(dc, { program: hello, mode: alias });
      const frame = await topFrame(dc);
      const d = await dc.disassembleRequest({ memoryReference: frame.instructionPointerReference!, instructionOffset: -2, instructionCount: 5 });
      const list = d.body!.instructions;
      assert.strictEqual(list.length, 5);
      assert.strictEqual(list[2]!.address, frame.instructionPointerReference);
      assert.strictEqual(list[2]!.line, frame.line);
      assert.match(list[2]!.instruction, /^mov e[bs][xi], /);
      assert.ok(Number(list[1]!.address) < Number(list[2]!.address));
    });

    it('a data breakpoint on guest memory stops after the write', async () => {
      await launchStopped(dc, { program: kernel, mode: alias });
      const info = await dc.dataBreakpointInfoRequest({ name: 'ticks' });
      assert.ok(info.body.dataId, info.body.description);
      const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
      assert.strictEqual(set.body.breakpoints[0]!.verified, true);
      const stop = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.strictEqual(stop.body.reason, 'data breakpoint');
      assert.strictEqual((await topFrame(dc)).line, lineOf(kernel, 'mov dword [ticks], 0') + 1);
    });

    it('a data breakpoint on CR3 stops when a page directory is loaded', async () => {
      await launchStopped(dc, { program: kernel, mode: alias });
      const info = await dc.dataBreakpointInfoRequest({ name: 'cr3' });
      assert.strictEqual(info.body.dataId, 'cr3');
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'cr3' }] });
      const stop = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.strictEqual(stop.body.reason, 'data breakpoint');
      assert.match(stop.body.description!, /^CR3 loaded: 0x[0-9a-f]{8} -> 0x[0-9a-f]{8}/);
      const cr3 = (await dc.evaluateRequest({ expression: 'cr3', context: 'watch' })).body.result;
      assert.notStrictEqual(cr3, '0x00000000 (0)');
    });
  });
});
