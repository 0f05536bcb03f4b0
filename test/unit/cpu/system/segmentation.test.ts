// Segment register loads and segmented accesses in protected mode: #GP/#SS/#NP with the
// selector error codes, null segments, limits and rights, and the CPL/RPL/DPL rules.

import * as assert from 'assert';
import { dieCode, runKernelBody, SEL, toRing3 } from './guestKernel';

/** Runs `faulting` (one instruction after setup) and returns the first logged exception as [vector, error]. */
function firstFault(setup: string, faulting: string, data = ''): [number, number] {
  const r = runKernelBody(`${setup}
  mov dword [resume], after_fault
the_fault:
  ${faulting}
after_fault:`, data);
  const [e] = r.exceptions();
  assert.ok(e, `expected an exception from: ${faulting}`);
  assert.strictEqual(e.eip, r.sym('the_fault'), 'the faulting instruction restarts');
  return [e.vector, e.errorCode];
}

describe('cpu/system: segmentation', () => {
  it('a not-present data segment is #NP(selector)', () => {
    assert.deepStrictEqual(firstFault(`  mov ax, ${SEL.ABSENT}`, 'mov ds, ax'), [11, SEL.ABSENT]);
  });

  it('a selector beyond the GDT limit is #GP(selector), RPL bits dropped', () => {
    assert.deepStrictEqual(firstFault('  mov ax, 0x83', 'mov es, ax'), [13, 0x80]);
  });

  it('SS must be writable data: a read-only segment is #GP(selector)', () => {
    assert.deepStrictEqual(firstFault(`  mov ax, ${SEL.RODATA}`, 'mov ss, ax'), [13, SEL.RODATA]);
  });

  it('a null SS is #GP(0); a null DS loads but using it is #GP(0)', () => {
    assert.deepStrictEqual(firstFault('  xor eax, eax', 'mov ss, ax'), [13, 0]);
    assert.deepStrictEqual(firstFault('  xor eax, eax\n  mov fs, ax', 'mov eax, [fs:0x1000]'), [13, 0]);
  });

  it('writing through a read-only data segment is #GP(0)', () => {
    assert.deepStrictEqual(firstFault(`  mov ax, ${SEL.RODATA}\n  mov es, ax`, 'mov [es:0x200000], eax'), [13, 0]);
  });

  it('an access past a segment limit is #GP(0), or #SS(0) through SS', () => {
    assert.deepStrictEqual(firstFault(`  mov ax, ${SEL.SMALL}\n  mov gs, ax`, 'mov eax, [gs:0xffe]'), [13, 0]);
    const inside = runKernelBody(`  mov ax, ${SEL.SMALL}\n  mov gs, ax\n  mov eax, [gs:0xffc]`);
    assert.deepStrictEqual(inside.exceptions(), [], 'the last dword inside the limit is fine');
    // ESP stays inside the limit so the #SS itself can be delivered on that stack.
    assert.deepStrictEqual(firstFault(`  mov ax, ${SEL.SMALL}\n  mov ss, ax\n  mov esp, 0xff0\n  mov ebp, 0x1000`, 'mov eax, [ebp]'), [12, 0]);
  });

  it('ring 3 may not load a DPL 0 data segment, nor an RPL 3 selector of one', () => {
    const r = runKernelBody(`
${toRing3('user')}
user:
  mov ax, ${SEL.DATA0 | 3}
  mov ds, ax
  int 0x80`);
    assert.deepStrictEqual(r.exceptions().map((e) => [e.vector, e.errorCode]), [[13, SEL.DATA0]]);
  });

  it('a far JMP to a data segment is #GP(selector); to a ring-3 code segment from ring 0 too', () => {
    assert.deepStrictEqual(firstFault('', `jmp ${SEL.DATA0}:0`), [13, SEL.DATA0]);
    assert.deepStrictEqual(firstFault('', `jmp ${SEL.CODE3}:0`), [13, SEL.CODE3 & 0xfffc]);
  });

  it('far CALL and RETF at ring 0 keep the CPL and restore CS:EIP', () => {
    const r = runKernelBody(`
  call ${SEL.CODE0}:far_fn
  mov [after_call], eax
  jmp done
far_fn:
  mov eax, 0x5a5a
  retf
done:`, 'after_call: dd 0');
    assert.strictEqual(r.read32(r.sym('after_call')), 0x5a5a);
    assert.deepStrictEqual(r.exceptions(), []);
  });

  it('LAR, LSL, VERR and VERW answer by CPL and DPL without faulting', () => {
    const r = runKernelBody(`
  mov ax, ${SEL.SMALL}
  lsl ebx, eax
  mov [small_limit], ebx
  mov ax, ${SEL.CODE0}
  lar ebx, eax
  mov [code_rights], ebx
  mov ax, ${SEL.RODATA}
  verw ax
  setz byte [verw_ro]
  verr ax
  setz byte [verr_ro]`, 'small_limit: dd 0\ncode_rights: dd 0\nverw_ro: db 0\nverr_ro: db 0');
    assert.strictEqual(r.read32(r.sym('small_limit')), 0xfff);
    assert.strictEqual(r.read32(r.sym('code_rights')), 0x00c09b00, 'flags and type (accessed: CS was loaded), no limit bits');
    assert.strictEqual(r.machine.memory.read8(r.sym('verw_ro')), 0);
    assert.strictEqual(r.machine.memory.read8(r.sym('verr_ro')), 1);
  });

  it('a far CALL through a call gate enters ring 0 on the TSS stack, copies parameters, and RETF n returns to ring 3', () => {
    const r = runKernelBody(`
  mov eax, gate_target
  mov [gdt + 0x48], ax
  mov word [gdt + 0x48 + 2], ${SEL.CODE0}
  mov byte [gdt + 0x48 + 4], 1          ; one parameter
  mov byte [gdt + 0x48 + 5], 0xEC       ; present, DPL 3, 32-bit call gate
  shr eax, 16
  mov [gdt + 0x48 + 6], ax
${toRing3('user')}
user:
  push dword 0x77
  call 0x4B:0
  mov [back_esp], esp
  mov ax, cs
  mov [back_cs], ax
  int 0x80
gate_target:
  mov eax, [esp + 8]                    ; the copied parameter
  mov [param_seen], eax
  mov ax, cs
  mov [gate_cs], ax
  retf 4`, 'param_seen: dd 0\ngate_cs: dd 0\nback_esp: dd 0\nback_cs: dd 0');
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: dieCode(0x80) }, JSON.stringify(r.exceptions()));
    assert.strictEqual(r.read32(r.sym('param_seen')), 0x77);
    assert.strictEqual(r.read32(r.sym('gate_cs')) & 0xffff, SEL.CODE0);
    assert.strictEqual(r.read32(r.sym('back_cs')) & 0xffff, SEL.CODE3);
    assert.strictEqual(r.read32(r.sym('back_esp')), r.sym('stack3_top'), 'RETF 4 released the parameter');
  });

  it('a call gate whose DPL is below the CPL is #GP(gate selector)', () => {
    const r = runKernelBody(`
  mov dword [gdt + 0x48], gate_target
  mov word [gdt + 0x48 + 2], ${SEL.CODE0}
  mov word [gdt + 0x48 + 4], 0x8C00     ; present, DPL 0
  mov word [gdt + 0x48 + 6], 0
${toRing3('user')}
user:
  call 0x4B:0
gate_target:
  int 0x80`);
    assert.deepStrictEqual(r.exceptions().map((e) => [e.vector, e.errorCode]).slice(0, 1), [[13, 0x48]]);
  });
});
