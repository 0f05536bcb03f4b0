// Guest MIPS of the interpreter (in-process, through core/run) on two programs, beside QEMU on
// the same programs: (a) a CPU-bound 5-instruction ALU loop, ~200 M instructions, as a multiboot
// kernel (ringlab, qemu-system-i386 -kernel) and as a 32-bit Linux ELF (qemu-i386); (b) a
// paging-heavy kernel that reloads CR3 and touches 2048 pages per round, so every access misses
// the TLB. QEMU's start-up (an empty kernel or ELF) is subtracted; instruction counts are
// RingLab's (the programs are identical). Target: the interpreter >= 50 MIPS on (a).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemble } from '../core/asm';
import { GuestRun, prepareGuest } from '../core/run';
import { timeProcesses, type Benchmark, type ProcessSpec } from './benchmark';

const LOOP_ITERATIONS = 40_000_000;       // x 5 instructions
const PAGING_ROUNDS = 6_000;              // x (2048 pages x 4 instructions + 6)
const PAGES_TOUCHED = 2048;               // 8 MiB above 4 MiB, identity-mapped
const QEMU_RUNS = 5;
const TARGET_MIPS = 50;

const MULTIBOOT = `bits 32
org 0x100000
header: dd 0x1BADB002, 0x10000, -(0x1BADB002 + 0x10000), header, header, load_end, bss_end, _start
_start:`;
const EXIT_F4 = '  mov al, 0\n  out 0xF4, al\n  cli\n  hlt';

const LOOP_BODY = `  mov ecx, ${LOOP_ITERATIONS}
.l:
  add eax, ecx
  xor ebx, eax
  sub edx, 3
  dec ecx
  jnz .l`;

function kernel(body: string, bss = ''): string {
  return `${MULTIBOOT}\n${body}\n${EXIT_F4}\nload_end:\nsection .bss align=4096\n${bss}\nbss_end:\n`;
}

/** Paging on over 16 MiB (4 page tables, supervisor RW), then rounds of CR3 reload + page touches. */
const PAGING_KERNEL = kernel(`  mov edi, page_tables
  mov eax, 0x3                      ; P | RW, physical 0
.pte:
  mov [edi], eax
  add eax, 4096
  add edi, 4
  cmp edi, page_tables + 4 * 4096
  jb .pte
  mov eax, page_tables + 0x3
  mov edi, page_directory
.pde:
  mov [edi], eax
  add eax, 4096
  add edi, 4
  cmp edi, page_directory + 16
  jb .pde
  mov eax, page_directory
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  mov ebp, ${PAGING_ROUNDS}
.round:
  mov eax, cr3
  mov cr3, eax                      ; flush the TLB: every page below misses
  mov esi, 0x400000
  mov ecx, ${PAGES_TOUCHED}
.page:
  add [esi], ecx
  add esi, 4096
  dec ecx
  jnz .page
  dec ebp
  jnz .round`, 'page_directory: resb 4096\npage_tables: resb 4 * 4096');

const EMPTY_KERNEL = kernel('');

/** A 32-bit Linux ELF (headers written as data, as nasm -f bin would) around `body`, ending in exit(0). */
function elf(body: string): string {
  return `bits 32
org 0x08048000
ehdr: db 0x7F, "ELF", 1, 1, 1, 0
  times 8 db 0
  dw 2, 3
  dd 1, _start, phdr - $$, 0, 0
  dw 52, 32, 1, 0, 0, 0
phdr: dd 1, 0, $$, $$, file_end - $$, file_end - $$, 5, 0x1000
_start:
${body}
  mov eax, 1
  xor ebx, ebx
  int 0x80
file_end:
`;
}

interface Program { readonly name: string; readonly kernel: string; readonly elf?: string }

const PROGRAMS: readonly Program[] = [
  { name: `(a) CPU-bound loop (5 ALU instructions x ${LOOP_ITERATIONS / 1e6} M)`, kernel: kernel(LOOP_BODY), elf: elf(LOOP_BODY) },
  { name: `(b) paging-heavy kernel (CR3 reload + ${PAGES_TOUCHED} page touches x ${PAGING_ROUNDS} rounds)`, kernel: PAGING_KERNEL },
];

function bytesOf(source: string): Uint8Array {
  const r = assemble(source, { file: 'bench.gasm' });
  if (!r.ok) throw new Error(`bench program does not assemble: ${r.diagnostics.map((d) => `${d.line}: ${d.message}`).join('; ')}`);
  return r.bytes;
}

/** Runs the kernel on the interpreter in-process; the clock covers the run loop only. The
 *  process CPU time is measured too: on a loaded host it is the steadier figure (wall time
 *  includes waiting for a core). */
function runRinglab(source: string): { instructions: number; wallMs: number; mips: number; cpuMs: number; cpuMips: number } {
  const prepared = prepareGuest({ path: 'bench.gasm', bytes: Buffer.from(source) });
  if (!prepared.ok) throw new Error(`bench program: ${prepared.reason}`);
  const run = GuestRun.boot(prepared.image, { keepConsole: false, maxInstructions: 2e9 });
  if (!(run instanceof GuestRun)) throw new Error(run.message);
  const cpuBefore = process.cpuUsage();
  const exit = run.runToEnd();
  const cpu = process.cpuUsage(cpuBefore);
  if (exit.reason !== 'exit' || exit.code !== 1) throw new Error(`the guest ended with ${exit.reason} ${exit.code}: ${exit.detail ?? ''}`);
  const { instructions, wallMs, mips } = run.report().stats;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { instructions, wallMs, mips, cpuMs, cpuMips: instructions / cpuMs / 1000 };
}

function available(command: string): boolean {
  return spawnSync(command, ['--version'], { encoding: 'utf8' }).status === 0;
}

function qemuSystem(bin: string): ProcessSpec {
  return {
    command: 'qemu-system-i386',
    args: ['-kernel', bin, '-display', 'none', '-serial', 'null', '-monitor', 'none', '-device', 'isa-debug-exit,iobase=0xf4,iosize=4'],
  };
}

/** qemu-system exits with status 1 through isa-debug-exit; timeProcesses wants 0, so wrap it. */
function expectStatus1(spec: ProcessSpec): ProcessSpec {
  return { command: 'sh', args: ['-c', '"$@"; test $? -eq 1', 'sh', spec.command, ...spec.args] };
}

function fmtMips(mips: number): string { return `${mips.toFixed(1).padStart(8)} MIPS`; }

export const cpuMips: Benchmark = {
  name: 'cpu: guest MIPS of the interpreter beside qemu-i386 and qemu-system-i386 on the same programs',
  run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-mips-'));
    try {
      const write = (name: string, source: string, mode = 0o644): string => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, bytesOf(source), { mode });
        return p;
      };
      const hasSystem = available('qemu-system-i386');
      const hasUser = available('qemu-i386');
      const emptyKernel = write('empty.bin', EMPTY_KERNEL);
      const emptyElf = write('empty.elf', elf(''), 0o755);

      PROGRAMS.forEach((program, k) => {
        console.log(`  ${program.name}`);
        const ours = runRinglab(program.kernel);
        console.log(`    ringlab (interpreter)   ${fmtMips(ours.mips)}   ${(ours.instructions / 1e6).toFixed(1)} M instructions in ${ours.wallMs.toFixed(0)} ms` +
          (k === 0 ? `   target >= ${TARGET_MIPS} MIPS: ${ours.mips >= TARGET_MIPS ? 'met' : 'NOT met'}` : ''));
        console.log(`    ringlab by CPU time     ${fmtMips(ours.cpuMips)}   ${(ours.cpuMs * 1e8 / ours.instructions / 1000).toFixed(2)} s of process CPU time per 100 M instructions` +
          (k === 0 ? `   target: ${ours.cpuMips >= TARGET_MIPS ? 'met' : 'NOT met'}` : ''));

        if (hasSystem) {
          const bin = write(`kernel${k}.bin`, program.kernel);
          const [empty, full] = timeProcesses([expectStatus1(qemuSystem(emptyKernel)), expectStatus1(qemuSystem(bin))], QEMU_RUNS);
          const ms = Math.max(0.001, full!.medianMs - empty!.medianMs);
          const mips = ours.instructions / ms / 1000;
          console.log(`    qemu-system-i386        ${fmtMips(mips)}   ${full!.medianMs.toFixed(0)} ms - ${empty!.medianMs.toFixed(0)} ms boot (median of ${QEMU_RUNS})   ringlab/qemu ${(ours.mips / mips).toFixed(3)}`);
        } else {
          console.log('    qemu-system-i386        not installed (apt-get install qemu-system-x86)');
        }

        if (program.elf === undefined) {
          console.log('    qemu-i386               n/a (a kernel with paging has no user-mode equivalent)');
        } else if (hasUser) {
          const exe = write(`loop${k}.elf`, program.elf, 0o755);
          const [empty, full] = timeProcesses([{ command: 'qemu-i386', args: [emptyElf] }, { command: 'qemu-i386', args: [exe] }], QEMU_RUNS);
          const ms = Math.max(0.001, full!.medianMs - empty!.medianMs);
          // The ELF runs the same loop without the multiboot entry: the same instruction count
          // up to a handful, which the figures cannot show.
          const mips = ours.instructions / ms / 1000;
          console.log(`    qemu-i386               ${fmtMips(mips)}   ${full!.medianMs.toFixed(0)} ms - ${empty!.medianMs.toFixed(0)} ms start-up (median of ${QEMU_RUNS})   ringlab/qemu ${(ours.mips / mips).toFixed(3)}`);
        } else {
          console.log('    qemu-i386               not installed (apt-get install qemu-user)');
        }
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
