// Test kernels for the system half of the CPU: a prelude (GDT with ring 0 and ring 3 segments,
// a TSS, an IDT whose stubs log every exception and resume where the test says) around a test
// body, assembled with RingLab's own assembler and run on a fresh machine.

import * as assert from 'assert';
import { assemble } from '../../../../core/asm';
import { bootKernel } from '../../../../core/cpu/boot';
import type { Cpu, CpuStop } from '../../../../core/cpu/cpu';
import type { Machine } from '../../../../core/machine/machine';

/** Selectors of the prelude's GDT. */
export const SEL = {
  CODE0: 0x08, DATA0: 0x10, CODE3: 0x1b, DATA3: 0x23, TSS: 0x28,
  /** Ring-0 data with a 4 KiB byte-granular limit (0xFFF) based at 0. */
  SMALL: 0x30,
  /** Data descriptor with P = 0. */
  ABSENT: 0x38,
  /** Read-only data, ring 0, flat. */
  RODATA: 0x40,
  /** Ring-0 data with DPL 0 (for loads from ring 3). */
  DATA0_DPL0: 0x10,
} as const;

const ERROR_CODE_VECTORS = new Set([8, 10, 11, 12, 13, 14, 17]);
const STUB_VECTORS = [...Array(32).keys(), 0x20, 0x21, 0x24, 0x80];

function stubs(): string {
  const lines: string[] = [];
  for (const v of STUB_VECTORS) {
    lines.push(`stub_${v}:`);
    if (!ERROR_CODE_VECTORS.has(v)) lines.push('  push dword 0');
    lines.push(`  push dword ${v}`, '  jmp common_handler');
  }
  return lines.join('\n');
}

function idtFill(): string {
  // Interrupt gates, DPL 0, except the vectors the body declares user-callable (DPL 3).
  return STUB_VECTORS.map((v) => `  mov eax, stub_${v}\n  mov ebx, ${v}\n  call set_gate`).join('\n');
}

/**
 * The prelude: flat ring-0 segments, TSS with ESP0, IDT, then `body` at label `test_main`.
 * Exceptions are logged in `exlog` (count, then vector, error, eip, cs, cr2 per entry) and resume at
 * [resume] when it is non-zero (one shot), else the kernel exits with code 0x40 + vector.
 * A body that falls through exits with code 0 (`out 0xf4, al`).
 */
export function kernelSource(body: string, data = '', options: KernelOptions = {}): string {
  const header = options.multiboot ? `
mb_header:                ; multiboot a.out kludge: load the whole file at 0x100000
  dd 0x1BADB002
  dd 0x00010000
  dd -(0x1BADB002 + 0x00010000)
  dd mb_header
  dd mb_header
  dd 0
  dd 0
  dd _start` : '';
  const finish = options.report ? 'jmp report_and_exit' : 'out 0xf4, al';
  return `
org 0x100000
bits 32
${header}
_start:
  lgdt [gdt_ptr]
  jmp 0x08:reload
reload:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov fs, ax
  mov gs, ax
  mov esp, stack0_top
  mov dword [tss + 4], stack0_top
  mov dword [tss + 8], 0x10
  mov word [tss + 102], 104        ; I/O map base past the limit: no bitmap, IOPL alone decides
  mov eax, tss
  mov [gdt_tss + 2], ax
  shr eax, 16
  mov [gdt_tss + 4], al
  mov [gdt_tss + 7], ah
  mov ax, 0x28
  ltr ax
${idtFill()}
  lidt [idt_ptr]
  jmp test_main

; set_gate: EAX = handler, EBX = vector (interrupt gate, DPL 3 so INT n works from ring 3)
set_gate:
  mov [idt + ebx * 8], ax
  mov word [idt + ebx * 8 + 2], 0x08
  mov word [idt + ebx * 8 + 4], 0xEE00
  shr eax, 16
  mov [idt + ebx * 8 + 6], ax
  ret

common_handler:
  push eax
  push ebx
  push ds
  mov ax, 0x10
  mov ds, ax
  mov ebx, [exlog]
  inc dword [exlog]
  shl ebx, 5
  mov eax, [esp + 12]
  mov [exlog + 4 + ebx], eax
  mov eax, [esp + 16]
  mov [exlog + 8 + ebx], eax
  mov eax, [esp + 20]
  mov [exlog + 12 + ebx], eax
  mov eax, [esp + 24]
  mov [exlog + 16 + ebx], eax
  mov eax, cr2
  mov [exlog + 20 + ebx], eax
  mov eax, [resume]
  test eax, eax
  jz .die
  mov dword [resume], 0
  mov [esp + 20], eax
  mov eax, [resume_cs]
  test eax, eax
  jz .same_cs
  mov [esp + 24], eax
  mov dword [resume_cs], 0
.same_cs:
  pop ds
  pop ebx
  pop eax
  add esp, 8
  iretd
.die:
  mov eax, [esp + 12]
  add al, 0x40
  ${finish}
  hlt

test_main:
${body}
  mov al, 0
  ${finish}
  hlt

; AL = exit code: prints each logged exception (vector, error code, EIP, CS, CR2 in hex) to COM1
report_and_exit:
  mov ebx, 0x10
  mov ds, bx
  push eax
  mov esi, exlog + 4
  mov edi, [exlog]
.entry:
  test edi, edi
  jz .done
  mov ebx, 5
.field:
  mov eax, [esi]
  call print_hex
  add esi, 4
  dec ebx
  jnz .field
  add esi, 12
  mov al, 10
  mov dx, 0x3f8
  out dx, al
  dec edi
  jmp .entry
.done:
  pop eax
  out 0xf4, al
  hlt

print_hex:
  push ecx
  mov ecx, 8
.digit:
  rol eax, 4
  push eax
  and eax, 0xf
  mov al, [hexdigits + eax]
  mov dx, 0x3f8
  out dx, al
  pop eax
  loop .digit
  mov al, 32
  out dx, al
  pop ecx
  ret
hexdigits: db '0123456789abcdef'

align 8
gdt:
  dq 0
  dq 0x00CF9A000000FFFF   ; 0x08 code ring 0
  dq 0x00CF92000000FFFF   ; 0x10 data ring 0
  dq 0x00CFFA000000FFFF   ; 0x18 code ring 3
  dq 0x00CFF2000000FFFF   ; 0x20 data ring 3
gdt_tss:
  dw 103, 0
  db 0, 0x89, 0, 0        ; 0x28 TSS (base patched at boot)
  dq 0x0040920000000FFF   ; 0x30 data ring 0, limit 0xFFF bytes
  dq 0x00CF12000000FFFF   ; 0x38 data, not present
  dq 0x00CF90000000FFFF   ; 0x40 read-only data ring 0
  dq 0x00CFF2000000FFFF   ; 0x48 data ring 3 (spare)
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
idt_ptr:
  dw 256 * 8 - 1
  dd idt
resume: dd 0
resume_cs: dd 0
align 16
tss: times 104 db 0
${data}
align 4096
exlog: times 1024 db 0
idt: times 2048 db 0
align 4096
  times 4096 db 0
stack0_top:
  times 4096 db 0
stack3_top:
${stubs()}
`;
}

export interface KernelOptions {
  /** Start with a multiboot header, so qemu-system-i386 -kernel boots the same bytes. */
  multiboot?: boolean;
  /** Print the exception log to COM1 before exiting (the transcript compared with QEMU). */
  report?: boolean;
}

export interface ExceptionRecord { vector: number; errorCode: number; eip: number; cs: number; cr2: number }

export interface GuestRun {
  cpu: Cpu;
  machine: Machine;
  stop: CpuStop;
  /** Address of a label of the kernel. */
  sym(name: string): number;
  /** Exceptions the prelude's handler logged, in order. */
  exceptions(): ExceptionRecord[];
  read32(physAddr: number): number;
}

/** Assembles a whole kernel source with core/asm, boots it and runs it. */
export function runSource(source: string, maxInstructions = 1_000_000, setup?: (cpu: Cpu, machine: Machine) => void): GuestRun {
  const asm = assemble(source);
  const errors = asm.diagnostics.filter((d) => d.severity === 'error');
  assert.deepStrictEqual(errors.map((d) => `${d.line}: ${d.message}`), [], 'guest assembles');
  const booted = bootKernel(asm.bytes);
  if (!('cpu' in booted)) throw new Error(`load failed: ${booted.message}`);
  const { cpu, machine } = booted;
  setup?.(cpu, machine);
  const stop = cpu.run(maxInstructions);
  cpu.assertInvariants();
  const symbols = new Map(asm.symbols.map((s) => [s.name, s.value]));
  const sym = (name: string): number => {
    const v = symbols.get(name);
    if (v === undefined) throw new Error(`no symbol ${name}`);
    return v;
  };
  const read32 = (a: number): number => machine.memory.read32(a);
  return {
    cpu, machine, stop, sym, read32,
    exceptions: () => {
      const base = sym('exlog');
      const n = read32(base);
      const out: ExceptionRecord[] = [];
      for (let i = 0; i < n; i++) {
        const e = base + 4 + i * 32;
        out.push({ vector: read32(e), errorCode: read32(e + 4), eip: read32(e + 8), cs: read32(e + 12), cr2: read32(e + 16) });
      }
      return out;
    },
  };
}

/** The prelude around `body` (see kernelSource), run. */
export function runKernelBody(body: string, data = '', maxInstructions = 1_000_000): GuestRun {
  return runSource(kernelSource(body, data), maxInstructions);
}

/**
 * Body lines that drop to ring 3 with the given EFLAGS (IOPL in bits 12-13) and load DS and ES
 * with ring-3 data (IRET to an outer ring nulls the ring-0 ones); the body continues at `label`.
 */
/** Fills page table `pt0` to identity-map the first 4 MiB with `pteFlags` and hooks it into `pd`
 *  (labels `fill`, `pt0`, `pd` of the prelude). */
export function identityMapFirst4MiB(pteFlags: number): string {
  const flags = `0x${pteFlags.toString(16).padStart(3, '0')}`;
  return `
  mov edi, pt0
  mov eax, ${flags}
  mov ecx, 1024
fill:
  mov [edi], eax
  add eax, 0x1000
  add edi, 4
  loop fill
  mov dword [pd], pt0 + ${pteFlags}`;
}

/** Remaps the master PIC to 0x20, unmasks IRQ0 only, starts PIT channel 0 in mode 2 (~1 ms). */
export const TIMER_ON = `
  mov al, 0x11
  out 0x20, al
  mov al, 0x20
  out 0x21, al
  mov al, 0x04
  out 0x21, al
  mov al, 0x01
  out 0x21, al
  mov al, 0xFE
  out 0x21, al
  mov al, 0x34
  out 0x43, al
  mov al, 0xA9
  out 0x40, al
  mov al, 0x04
  out 0x40, al`;

export function toRing3(label: string, eflags = 0x002): string {
  return `
  push dword ${SEL.DATA3}
  push dword stack3_top
  push dword ${eflags}
  push dword ${SEL.CODE3}
  push dword ${label}_land
  iretd
${label}_land:
  mov cx, ${SEL.DATA3}
  mov ds, cx
  mov es, cx`;
}

/** Exit code the prelude's handler uses when no resume address was set. */
export function dieCode(vector: number): number {
  return ((0x40 + vector) << 1) | 1;
}

/** Exit code of `out 0xf4, al` with AL = v. */
export function exitCode(v: number): number {
  return (v << 1) | 1;
}
