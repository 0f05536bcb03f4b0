// Privilege rules at CPL 3: privileged instructions are #GP(0); IN/OUT/CLI/STI depend on IOPL;
// POPF silently keeps IOPL, and IF when CPL > IOPL (the non-virtualizable behaviour).

import * as assert from 'assert';
import { dieCode, runKernelBody, toRing3 } from './guestKernel';

/** Runs each instruction at ring 3 (IOPL from `eflags`) and returns the [vector, error] each raised, or null. */
function atRing3(instructions: readonly string[], eflags = 0x002): ([number, number] | null)[] {
  const lines = instructions.map((insn, i) => `
  mov dword [resume], after_${i}
  mov dword [faulted_${i}], 0
insn_${i}:
  ${insn}
after_${i}:`).join('');
  const r = runKernelBody(`${toRing3('user', eflags)}
user:${lines}
  int 0x80`, `${instructions.map((_, i) => `faulted_${i}: dd 0`).join('\n')}\nscratch: times 16 db 0`);
  assert.deepStrictEqual(r.stop, { reason: 'exit', code: dieCode(0x80) });
  const ex = r.exceptions().filter((e) => e.vector !== 0x80);
  return instructions.map((_, i) => {
    const e = ex.find((x) => x.eip === r.sym(`insn_${i}`));
    return e ? [e.vector, e.errorCode] : null;
  });
}

describe('cpu/system: privilege at CPL 3', () => {
  it('privileged instructions raise #GP(0)', () => {
    const insns = ['hlt', 'lgdt [scratch]', 'lidt [scratch]', 'lldt ax', 'ltr ax', 'mov eax, cr0', 'mov cr3, eax',
      'mov eax, dr7', 'lmsw ax', 'clts', 'invlpg [scratch]', 'invd', 'wbinvd', 'rdmsr', 'wrmsr', 'rdpmc'];
    assert.deepStrictEqual(atRing3(insns), insns.map(() => [13, 0]));
  });

  it('sensitive instructions run at CPL 3 and reveal ring-0 state (no trap)', () => {
    assert.deepStrictEqual(atRing3(['sgdt [scratch]', 'sidt [scratch]', 'smsw ax', 'str ax', 'sldt ax', 'pushfd', 'popfd', 'cpuid', 'rdtsc']),
      [null, null, null, null, null, null, null, null, null]);
  });

  it('IN, OUT, CLI and STI need CPL <= IOPL', () => {
    assert.deepStrictEqual(atRing3(['in al, 0x40', 'out 0x80, al', 'cli', 'sti', 'insb', 'outsb']), [[13, 0], [13, 0], [13, 0], [13, 0], [13, 0], [13, 0]]);
    assert.deepStrictEqual(atRing3(['in al, 0x40', 'cli', 'sti'], 0x3002), [null, null, null]);
  });

  it('POPF at CPL 3 keeps IOPL always, and IF while CPL > IOPL', () => {
    const body = (eflags: number): string => `${toRing3('user', eflags)}
user:
  push dword 0x3ED7               ; IOPL 3, IF, DF, TF clear... and CF ZF SF PF AF OF set
  and dword [esp], ~0x100         ; keep TF clear
  popfd
  pushfd
  pop eax
  mov [flags_after], eax
  int 0x80`;
    const lowIopl = runKernelBody(body(0x0002), 'flags_after: dd 0');
    const f1 = lowIopl.read32(lowIopl.sym('flags_after'));
    assert.strictEqual(f1 & 0x3000, 0, 'IOPL unchanged at CPL 3');
    assert.strictEqual(f1 & 0x200, 0, 'IF unchanged when CPL > IOPL');
    assert.strictEqual(f1 & 0x8d5, 0x8d5, 'arithmetic flags loaded');
    const highIopl = runKernelBody(body(0x3002), 'flags_after: dd 0');
    const f2 = highIopl.read32(highIopl.sym('flags_after'));
    assert.strictEqual(f2 & 0x3000, 0x3000);
    assert.strictEqual(f2 & 0x200, 0x200, 'IF loaded when CPL <= IOPL');
  });

  it('the TSS I/O bitmap opens single ports at CPL 3 when IOPL is 0', () => {
    const r = runKernelBody(`
  mov word [tss + 102], iomap - tss
  mov word [gdt_tss], iomap_end - tss - 1   ; TSS limit covers the bitmap
  and byte [gdt_tss + 5], ~0x02             ; available again, so LTR accepts it
  mov ax, 0x28
  ltr ax
${toRing3('user')}
user:
  mov dword [resume], after_denied
  in al, 0x70                    ; allowed by the bitmap
  in al, 0x71                    ; denied
after_denied:
  int 0x80`, `
align 4
iomap: times 14 db 0xFF
  db 0xFE                         ; port 0x70 = bit 0 of byte 14
  times 8192 - 15 db 0xFF
iomap_end: db 0xFF`);
    const ex = r.exceptions().filter((e) => e.vector !== 0x80);
    assert.strictEqual(ex.length, 1);
    assert.deepStrictEqual([ex[0]!.vector, ex[0]!.errorCode], [13, 0]);
  });
});
