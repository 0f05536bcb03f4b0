// System conformance against qemu-system-i386: the same kernels (multiboot, exception log printed
// over COM1) give the same transcript and exit status here and under QEMU. Skipped without QEMU
// unless RINGLAB_LIVE_ORACLE=1. (QEMU's TCG does not check data segment limits, so limit
// scenarios are not compared here.)

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assemble } from '../../../../core/asm';
import { runKernel } from '../../../../core/cpu/boot';
import { kernelSource, SEL, toRing3, identityMapFirst4MiB } from './guestKernel';
import { SCENARIO_BODY, SCENARIO_DATA } from './scenarioKernel';

function qemuAvailable(): boolean {
  try {
    execFileSync('qemu-system-i386', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function underQemu(bytes: Uint8Array): { console: string; status: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-cpu-'));
  const file = path.join(dir, 'kernel.bin');
  fs.writeFileSync(file, bytes);
  try {
    const out = execFileSync('qemu-system-i386', ['-kernel', file, '-m', '32', '-display', 'none', '-serial', 'stdio',
      '-monitor', 'none', '-device', 'isa-debug-exit,iobase=0xf4,iosize=4'], { timeout: 20000 });
    return { console: out.toString('latin1'), status: 0 };
  } catch (error) {
    const e = error as { stdout?: Buffer; status?: number };
    if (e.stdout === undefined) throw error;
    return { console: e.stdout.toString('latin1'), status: e.status ?? -1 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SCENARIOS: Record<string, string | [string, string]> = {
  'a kernel with timer ticks, demand paging and system calls from ring 3': [SCENARIO_BODY, SCENARIO_DATA],
  'selector loads: #NP, #GP beyond the GDT, read-only SS, null SS': `
  mov dword [resume], a1
  mov ax, ${SEL.ABSENT}
  mov ds, ax
a1:
  mov dword [resume], a2
  mov ax, 0x83
  mov es, ax
a2:
  mov dword [resume], a3
  mov ax, ${SEL.RODATA}
  mov ss, ax
a3:
  mov dword [resume], a4
  xor eax, eax
  mov ss, ax
a4:`,
  'ring 3: #GP(selector), gate DPL, CLI at IOPL 0, privileged instruction': `
${toRing3('user')}
user:
  mov dword [resume], u1
  mov ax, ${SEL.DATA0}
  mov ds, ax
u1:
  mov byte [idt + 0x24 * 8 + 5], 0x8E
  mov dword [resume], u2
  int 0x24
u2:
  mov dword [resume], u3
  cli
u3:
  mov dword [resume], u4
  mov eax, cr0
u4:
  int 0x80`,
  'INT3, INTO, #UD, #DE': `
  mov dword [resume], b1
  int3
b1:
  mov al, 0x7f
  add al, 1
  mov dword [resume], b2
  into
b2:
  mov dword [resume], b3
  ud2
b3:
  mov dword [resume], b4
  xor edx, edx
  xor ecx, ecx
  div ecx
b4:`,
  'paging: not present, write, WP, user access to a supervisor page, reserved bits in a 4 MiB PDE': `${identityMapFirst4MiB(7)}
  mov dword [pd + 0x100 * 4], pt1 + 7
  mov dword [pt1], frame + 1                ; read-only supervisor page at 0x40000000
  mov eax, pd
  mov cr3, eax
  mov eax, cr4
  or eax, 0x10
  mov cr4, eax
  mov dword [pd + 0x201 * 4], 0x00200083
  mov eax, cr0
  or eax, 0x80010000
  mov cr0, eax
  mov dword [resume], p1
  mov eax, [0x40001234]
p1:
  mov dword [resume], p2
  mov dword [0x40000010], 1
p2:
  mov dword [resume], p3
  mov eax, [0x80400000]
p3:
${toRing3('user')}
user:
  mov dword [resume], p4
  mov eax, [0x40000000]
p4:
  int 0x80`,
  'a double fault from a not-present #GP gate': `
  and byte [idt + 13 * 8 + 5], 0x7F
  mov ax, 0x80
  mov ds, ax`,
};

const PAGE_TABLES = `
align 4096
pd: times 4096 db 0
pt0: times 4096 db 0
pt1: times 4096 db 0
frame: times 4096 db 0`;

describe('cpu/system: transcripts equal qemu-system-i386', function () {
  this.timeout(60000);
  for (const [name, body] of Object.entries(SCENARIOS)) {
    it(name, function () {
      if (!qemuAvailable()) {
        if (process.env['RINGLAB_LIVE_ORACLE'] === '1') throw new Error('RINGLAB_LIVE_ORACLE=1 but qemu-system-i386 is not installed');
        this.skip();
      }
      const [text, data] = typeof body === 'string' ? [body, PAGE_TABLES] : body;
      const asm = assemble(kernelSource(text, data, { multiboot: true, report: true }));
      assert.ok(asm.ok, JSON.stringify(asm.diagnostics.slice(0, 3)));
      const ours = runKernel(asm.bytes, 10_000_000);
      assert.ok('stop' in ours);
      const qemu = underQemu(asm.bytes);
      assert.strictEqual(ours.machine.console?.text, qemu.console);
      assert.strictEqual(ours.stop.code & 0xff, qemu.status, "exit status (a process status is 8 bits)");
    });
  }
});
