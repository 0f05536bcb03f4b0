// IDT delivery: same ring and ring 3 -> 0 through the TSS stack, error codes, IRET back to
// ring 3, the gate DPL check of INT n, double fault and triple fault.

import * as assert from 'assert';
import { dieCode, exitCode, runKernelBody, SEL, toRing3, identityMapFirst4MiB } from './guestKernel';


describe('cpu/system: interrupt and exception delivery', () => {
  it('INT n at ring 0 pushes EFLAGS, CS, EIP and resumes with IRET', () => {
    const r = runKernelBody(`
  mov dword [resume], after_int
  int 0x80
after_int:
  mov al, 7
  out 0xf4, al`);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: exitCode(7) });
    const [e] = r.exceptions();
    assert.strictEqual(e!.vector, 0x80);
    assert.strictEqual(e!.cs, SEL.CODE0);
    assert.strictEqual(e!.eip, r.sym('after_int'), 'a software interrupt pushes the next EIP');
  });

  it('ring 3 -> 0 switches to the TSS stack (SS0:ESP0) and IRET returns to ring 3', () => {
    const r = runKernelBody(`
  mov eax, ring0_probe
  mov ebx, 0x81
  call set_gate
${toRing3('user')}
user:
  mov esi, 0x1234
  int 0x81
  mov [user_marker], esi
  mov ax, cs
  mov [user_cs], ax
  int 0x80
ring0_probe:
  mov [probe_esp], esp
  mov [probe_ss], ss
  mov eax, [esp + 4]
  mov [probe_cs], eax
  mov eax, [esp + 12]
  mov [probe_user_esp], eax
  mov eax, [esp + 16]
  mov [probe_user_ss], eax
  iretd`, `
user_marker: dd 0
user_cs: dd 0
probe_esp: dd 0
probe_ss: dd 0
probe_cs: dd 0
probe_user_esp: dd 0
probe_user_ss: dd 0`);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: dieCode(0x80) });
    assert.strictEqual(r.read32(r.sym('probe_esp')), r.sym('stack0_top') - 20, 'five dwords on the ring-0 stack');
    assert.strictEqual(r.read32(r.sym('probe_ss')) & 0xffff, SEL.DATA0);
    assert.strictEqual(r.read32(r.sym('probe_cs')), SEL.CODE3);
    assert.strictEqual(r.read32(r.sym('probe_user_esp')), r.sym('stack3_top'));
    assert.strictEqual(r.read32(r.sym('probe_user_ss')), SEL.DATA3);
    assert.strictEqual(r.read32(r.sym('user_marker')), 0x1234, 'IRET went back to ring 3 code');
    assert.strictEqual(r.read32(r.sym('user_cs')) & 0xffff, SEL.CODE3);
  });

  it('an exception at ring 3 pushes its error code and the faulting EIP', () => {
    const r = runKernelBody(`
${toRing3('user')}
user:
  mov ax, ${SEL.DATA0}
faulting:
  mov ds, ax
  int 0x80`);
    const [e] = r.exceptions();
    assert.strictEqual(e!.vector, 13);
    assert.strictEqual(e!.errorCode, SEL.DATA0, '#GP(selector): DPL 0 data from CPL 3');
    assert.strictEqual(e!.eip, r.sym('faulting'));
    assert.strictEqual(e!.cs, SEL.CODE3);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: dieCode(13) });
  });

  it('INT n through a gate with DPL < CPL is #GP(vector * 8 + 2)', () => {
    const r = runKernelBody(`
  mov byte [idt + 0x24 * 8 + 5], 0x8E   ; DPL 0
${toRing3('user')}
user:
  int 0x24`);
    const [e] = r.exceptions();
    assert.strictEqual(e!.vector, 13);
    assert.strictEqual(e!.errorCode, 0x24 * 8 + 2);
    assert.strictEqual(e!.eip, r.sym('user'), 'the INT instruction itself faults');
  });

  it('INT3 pushes the address after it; INTO traps only when OF = 1', () => {
    const r = runKernelBody(`
  mov dword [resume], after_bp
  int3
after_bp:
  mov al, 1
  add al, 1
  into
  mov al, 0x7f
  add al, 1
  mov dword [resume], after_of
  into
after_of:`);
    const ex = r.exceptions();
    assert.deepStrictEqual(ex.map((e) => e.vector), [3, 4]);
    assert.strictEqual(ex[0]!.eip, r.sym('after_bp'));
    assert.strictEqual(ex[1]!.eip, r.sym('after_of'));
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: exitCode(0) });
  });

  it('a contributory fault while delivering a contributory fault is a double fault', () => {
    const r = runKernelBody(`
  and byte [idt + 13 * 8 + 5], 0x7F      ; #GP gate not present -> #NP while delivering #GP
  mov ax, 0x80                           ; beyond the GDT limit
  mov ds, ax`);
    const [e] = r.exceptions();
    assert.strictEqual(e!.vector, 8);
    assert.strictEqual(e!.errorCode, 0);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: dieCode(8) });
  });

  it('a fault with no usable IDT is a triple fault: the machine stops with status 3', () => {
    const r = runKernelBody(`
  lidt [empty_idt]
  ud2`, `
empty_idt: dw 0
  dd 0`);
    assert.strictEqual(r.stop.reason, 'triple-fault');
    assert.strictEqual(r.stop.code, 3);
  });

  it('an undefined opcode is #UD at its own address', () => {
    const r = runKernelBody(`
  mov dword [resume], after_ud
bad_opcode:
  db 0x0F, 0xFF
after_ud:`);
    assert.deepStrictEqual(r.exceptions().map((e) => [e.vector, e.eip]), [[6, r.sym('bad_opcode')]]);
  });

  it('a #PF while pushing a #GP frame makes a #DF, and a #DF that cannot be pushed a triple fault', () => {
    const r = runKernelBody(`${identityMapFirst4MiB(3)}
  mov eax, pd
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  mov esp, 0x00500000               ; beyond the identity-mapped 4 MiB: pushes fault
  mov ax, 0x80
  mov ds, ax                        ; #GP -> delivering it pushes -> #PF -> #DF -> #PF -> triple`, `
align 4096
pd: times 4096 db 0
pt0: times 4096 db 0`);
    assert.strictEqual(r.stop.reason, 'triple-fault', 'the #DF frame cannot be pushed either');
    assert.strictEqual(r.cpu.state.cr2, 0x004ffffc);
  });

  it('a task gate is declined with a stop reason, not emulated', () => {
    const r = runKernelBody(`
  mov byte [idt + 0x24 * 8 + 5], 0x85    ; task gate
  int 0x24`);
    assert.strictEqual(r.stop.reason, 'unsupported');
    assert.match(r.stop.detail ?? '', /task gate/);
  });
});
