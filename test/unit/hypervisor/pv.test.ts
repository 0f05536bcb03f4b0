// The paravirtual engine against DESIGN's PV ABI: the PV ports print what their native twins
// print; every hypercall's success path and its refusals (ENOSYS, EFAULT, EINVAL) with the guest
// running on; a privileged instruction at ring 1 stops the run naming the hypercall to use;
// upcalls follow shared_info's mask and pending bytes; set_timer_op wakes sched_op block.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeSourceFiles } from '../../../cli/nodeFiles';
import { runGuest, type GuestOutcome, type GuestRunOptions } from '../../../core/run';
import type { GuestRun } from '../../../core/run/guestRun';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const RESULTS = 0x200000;

function runFile(file: string, options: GuestRunOptions = {}): GuestOutcome {
  return runGuest({ path: file, bytes: fs.readFileSync(file) }, { files: new NodeSourceFiles(), maxInstructions: 50_000_000, ...options });
}

/** A PV guest from source, assembled as if it sat in examples/ (so lib/pv.inc is found). */
function runPv(body: string, data = '', options: GuestRunOptions = {}): GuestRun {
  const source = [
    'bits 32', 'org 0x100000', '%include "lib/pv.inc"', '_start:',
    '  mov ebp, [esi + START_INFO_SHARED_INFO]', // EBP -> shared_info (paging stays off unless a test turns it on)
    '  mov esp, 0x180000', `  mov edi, ${RESULTS}`,
    body,
    '  mov ebx, SCHEDOP_shutdown', '  xor ecx, ecx', '  mov eax, __HYPERVISOR_sched_op', '  int HYPERCALL', '  jmp $',
    data,
  ].join('\n');
  const outcome = runGuest({ path: path.join(EXAMPLES, 'pv-unit-test.gasm'), bytes: Buffer.from(source) },
    { files: new NodeSourceFiles(), mode: 'paravirtual', maxInstructions: 10_000_000, ...options });
  assert.ok(outcome.booted, `did not boot: ${outcome.exit.detail}`);
  return outcome.run;
}

/** A hypercall whose EAX result is stored at the next results slot (stosd). */
function hc(nr: string | number, ebx: string | number = 0, ecx: string | number = 0, edx: string | number = 0): string {
  return `  mov ebx, ${ebx}\n  mov ecx, ${ecx}\n  mov edx, ${edx}\n  mov eax, ${nr}\n  int HYPERCALL\n  stosd`;
}

function results(run: GuestRun, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(run.machine.memory.read32(RESULTS + 4 * i) | 0);
  return out;
}

function exitOf(run: GuestRun): { reason: string; code: number; detail?: string } {
  const exit = run.exit;
  assert.ok(exit !== null);
  return exit;
}

describe('pv engine', function () {
  this.timeout(120_000);

  describe('PV ports print what their native twins print', () => {
    for (const name of ['kernel', 'hello']) {
      it(`${name}-pv.gasm under pv: the same console output and exit status as ${name}.gasm natively`, () => {
        const native = runFile(path.join(EXAMPLES, `${name}.gasm`));
        const pv = runFile(path.join(EXAMPLES, `${name}-pv.gasm`), { mode: 'paravirtual' });
        assert.ok(native.booted && pv.booted);
        assert.equal(pv.exit.reason, 'exit', pv.exit.detail);
        assert.equal(pv.run.console.text, native.run.console.text);
        assert.equal(pv.exit.code, native.exit.code);
        const report = pv.run.report();
        assert.ok(report.stats.hypercalls > 0);
        assert.deepEqual(report.holes, [], 'a PV port uses no sensitive instruction at ring 1');
        assert.ok(report.stats.cycles.some((l) => l.name === 'hypercall'));
      });
    }

    it('the PV kernel gives the same report whatever the slice size', () => {
      const fingerprint = (sliceInstructions?: number): string => {
        const o = runFile(path.join(EXAMPLES, 'kernel-pv.gasm'), { mode: 'paravirtual', ...(sliceInstructions ? { sliceInstructions } : {}) });
        assert.ok(o.booted);
        const { wallMs: _w, mips: _m, jit: _j, ...stats } = o.run.report().stats;
        return JSON.stringify({ console: o.run.console.text, stats, registers: o.run.report().registers });
      };
      const reference = fingerprint();
      assert.equal(fingerprint(7_919), reference);
    });

    it('under type 2 every hypercall, upcall and bounced exception is a world switch', () => {
      const o = runFile(path.join(EXAMPLES, 'kernel-pv.gasm'), { mode: 'paravirtual', hypervisor: 'type2' });
      assert.ok(o.booted && o.run.hypervisor);
      const c = o.run.hypervisor.counters;
      assert.equal(c.worldSwitches, c.hypercalls + c.virtualInterrupts + c.reflections);
      assert.ok(o.run.report().stats.cycles.some((l) => l.name === 'worldSwitch'));
    });
  });

  describe('the entry state', () => {
    it('ring 1 on the flat selectors, ESI -> start_info with the magic, shared_info and RAM pages', () => {
      const run = runPv([
        '  mov eax, cs', '  stosd', '  mov eax, ds', '  stosd', '  mov eax, ss', '  stosd',
        '  mov eax, esi', '  stosd', '  mov eax, [esi + START_INFO_SHARED_INFO]', '  stosd',
        '  mov eax, [esi + START_INFO_NR_PAGES]', '  stosd', '  mov eax, [esi]', '  stosd',
        '  movzx eax, byte [ebp + SHARED_UPCALL_MASK]', '  stosd',
      ].join('\n'));
      const [cs, ds, ss, startInfo, shared, pages, magic, mask] = results(run, 8);
      const ram = 32 * 1024 * 1024;
      assert.deepEqual([cs, ds, ss], [0xe019, 0xe021, 0xe021]);
      assert.equal(startInfo, ram - 0x2000);
      assert.equal(shared, ram - 0x1000);
      assert.equal(pages, ram / 4096 - 2);
      assert.equal(magic, 0x676e6972); // "ring"
      assert.equal(mask, 1, 'upcalls start masked, as IF = 0 at a native entry');
      assert.equal(exitOf(run).code, 1);
    });
  });

  describe('hypercalls', () => {
    it('an unknown number is -ENOSYS; xen_version answers 0x00040000', () => {
      const run = runPv([hc(99), hc(1), hc('__HYPERVISOR_xen_version')].join('\n'));
      assert.deepEqual(results(run, 3), [-38, -38, 0x00040000]);
      assert.equal(run.hypervisor!.counters.hypercalls, 4); // and the shutdown
      const names = run.hypervisor!.events.recent().filter((e) => e.kind === 'hypercall').map((e) => e.detail);
      assert.match(names[0]!, /^hypercall 99\(.*\) = -38/);
      assert.match(names[2]!, /^xen_version\(/);
    });

    it('set_trap_table: installs gates (an exception reaches its handler); bad pointer -14, bad cs or dpl -22, 0 clears', () => {
      const run = runPv([
        hc('__HYPERVISOR_set_trap_table', '0x7F000000'),
        hc('__HYPERVISOR_set_trap_table', 'bad_cs'),
        hc('__HYPERVISOR_set_trap_table', 'bad_dpl'),
        hc('__HYPERVISOR_set_trap_table', 0),
        hc('__HYPERVISOR_set_trap_table', 'table'),
        '  ud2', // to ud_handler, which stores 0x600D and returns past it
        '  mov eax, 0xD0E', '  stosd',
      ].join('\n'), [
        'ud_handler:', '  mov eax, 0x600D', '  stosd', '  add dword [esp], 2', '  iret',
        'table:   db 6, 0', '  dw FLAT_KERNEL_CS', '  dd ud_handler', '  dq 0',
        'bad_cs:  db 6, 0', '  dw 0x08', '  dd ud_handler', '  dq 0',
        'bad_dpl: db 6, 5', '  dw FLAT_KERNEL_CS', '  dd ud_handler', '  dq 0',
      ].join('\n'));
      assert.deepEqual(results(run, 7), [-14, -22, -22, 0, 0, 0x600d, 0xd0e]);
      assert.equal(exitOf(run).reason, 'exit');
    });

    it('an exception without a trap-table entry stops the guest with the vector named', () => {
      const run = runPv('  ud2');
      const exit = exitOf(run);
      assert.equal(exit.reason, 'guest-error');
      assert.match(exit.detail!, /#UD .*no entry for vector 6 \(set_trap_table\)/);
    });

    it('stack_switch and set_callbacks take only the flat ring-1 selectors', () => {
      const run = runPv([
        hc('__HYPERVISOR_stack_switch', 'FLAT_KERNEL_DS', '0x170000'),
        hc('__HYPERVISOR_stack_switch', '0x10', '0x170000'),
        hc('__HYPERVISOR_set_callbacks', 'FLAT_KERNEL_CS', '_start'),
        hc('__HYPERVISOR_set_callbacks', '0x08', '_start'),
        hc('__HYPERVISOR_set_callbacks', 'FLAT_KERNEL_CS', 0),
        hc('__HYPERVISOR_set_timer_op', 0, 0),
      ].join('\n'));
      assert.deepEqual(results(run, 6), [0, -22, 0, -22, -22, 0]);
      const tss = run.hypervisor!.area.physical(0x10800);
      assert.equal(run.machine.memory.read32(tss + 12), 0x170000);
      assert.equal(run.machine.memory.read32(tss + 16), 0xe021);
    });

    it('console_io: writes to the console, reads queued input; bad pointer -14, bad command -22', () => {
      const run = runPv([
        hc('__HYPERVISOR_console_io', 'CONSOLEIO_write', 3, 'msg'),
        hc('__HYPERVISOR_console_io', 'CONSOLEIO_write', 3, '0x7F000000'),
        hc('__HYPERVISOR_console_io', 'CONSOLEIO_write', 3, '0x01FFFFFF'), // runs past the guest's RAM
        hc('__HYPERVISOR_console_io', 7, 3, 'msg'),
        hc('__HYPERVISOR_console_io', 'CONSOLEIO_read', 8, 'inbuf'),
        '  mov eax, [inbuf]', '  stosd',
      ].join('\n'), 'msg: db "ok", 10\ninbuf: dd 0, 0', { consoleInput: 'abc' });
      assert.deepEqual(results(run, 6), [0, -14, -14, -22, 3, 0x00636261]);
      assert.equal(run.console.text, 'ok\n');
    });

    it('mmuext_op NEW_BASEPTR: a directory mapping guest RAM is loaded and turns paging on; one mapping VMM memory is -22 and the guest runs on', () => {
      const run = runPv([
        // good: 0x300000 -> 0x301000 identity-maps the first 4 MiB
        '  xor ecx, ecx',
        '.map: mov eax, ecx', '  shl eax, 12', '  or eax, 3', '  mov [0x301000 + ecx * 4], eax', '  inc ecx', '  cmp ecx, 1024', '  jb .map',
        '  mov dword [0x300000], 0x301003',
        // bad: 0x302000 -> 0x303000, whose first entry maps 0x02000000 (the VMM's, above 32 MiB of RAM)
        '  mov dword [0x302000], 0x303003', '  mov dword [0x303000], 0x02000003',
        hc('__HYPERVISOR_mmuext_op', 'MMUEXT_NEW_BASEPTR', '0x302000'),
        hc('__HYPERVISOR_mmuext_op', 'MMUEXT_NEW_BASEPTR', '0x300800'),
        hc('__HYPERVISOR_mmuext_op', 'MMUEXT_NEW_BASEPTR', '0x7F000000'),
        '  mov eax, cs', '  stosd', // still running, paging still off
        hc('__HYPERVISOR_mmuext_op', 'MMUEXT_NEW_BASEPTR', '0x300000'),
        hc('__HYPERVISOR_mmuext_op', 'MMUEXT_TLB_FLUSH_LOCAL'),
        hc('__HYPERVISOR_mmuext_op', 'MMUEXT_INVLPG_LOCAL', '0x100000'),
        hc('__HYPERVISOR_mmuext_op', 9),
        // paging on: a pointer beyond the 4 MiB mapped is now a bad pointer
        hc('__HYPERVISOR_console_io', 'CONSOLEIO_write', 1, '0x00500000'),
      ].join('\n'));
      assert.deepEqual(results(run, 9), [-22, -22, -22, 0xe019, 0, 0, 0, -22, -14]);
      assert.equal(run.cpu.state.cr3 >>> 0, 0x300000);
      assert.ok((run.cpu.state.cr0 & 0x80000000) !== 0, 'paging is on');
      const refusal = run.hypervisor!.events.recent().find((e) => e.kind === 'hypercall' && e.detail.includes('= -22'));
      assert.match(refusal!.detail, /maps 0x02000000, beyond the guest's RAM/);
      assert.equal(exitOf(run).code, 1);
    });

    it('a page table changed later to map VMM memory is refused when the mapping is used', () => {
      const run = runPv([
        '  xor ecx, ecx',
        '.map: mov eax, ecx', '  shl eax, 12', '  or eax, 3', '  mov [0x301000 + ecx * 4], eax', '  inc ecx', '  cmp ecx, 1024', '  jb .map',
        '  mov dword [0x300000], 0x301003',
        hc('__HYPERVISOR_mmuext_op', 'MMUEXT_NEW_BASEPTR', '0x300000'),
        '  mov dword [0x301000 + 0x3FF * 4], 0x02000003', // linear 0x3FF000 -> the VMM's memory
        hc('__HYPERVISOR_mmuext_op', 'MMUEXT_INVLPG_LOCAL', '0x3FF000'),
        '  mov eax, [0x3FF000]',
      ].join('\n'));
      const exit = exitOf(run);
      assert.equal(exit.reason, 'guest-error');
      assert.match(exit.detail!, /mapped linear 0x3ff000 to physical 0x2000000, outside its 32 MiB of RAM/);
    });

    it('sched_op: yield 0, unknown -22, shutdown with code c exits with status (c << 1) | 1', () => {
      const run = runPv([
        hc('__HYPERVISOR_sched_op', 'SCHEDOP_yield'),
        hc('__HYPERVISOR_sched_op', 9),
        hc('__HYPERVISOR_sched_op', 'SCHEDOP_shutdown', 5),
      ].join('\n'));
      assert.deepEqual(results(run, 2), [0, -22]);
      assert.deepEqual(exitOf(run), { reason: 'exit', code: 11 });
    });

    it('sched_op block with nothing that can wake the guest stops with halt', () => {
      const run = runPv(hc('__HYPERVISOR_sched_op', 'SCHEDOP_block'));
      assert.equal(exitOf(run).reason, 'halt');
      assert.equal(exitOf(run).code, 0);
    });

    it('iret: a frame that returns nowhere the guest may go is -22', () => {
      const run = runPv([
        '  push dword 0x202', '  push dword 0x08', '  push dword after', // CS 0x08: not a selector of the VMM's GDT a guest may use
        '  mov eax, __HYPERVISOR_iret', '  int HYPERCALL', '  stosd', '  add esp, 12',
        'after:',
      ].join('\n'));
      assert.deepEqual(results(run, 1), [-22]);
      assert.equal(exitOf(run).code, 1);
    });
  });

  describe('virtual interrupts', () => {
    const upcall = [
      'upcall:', '  inc dword [upcalls]', '  movzx eax, byte [ebp + SHARED_UPCALL_MASK]', '  mov [mask_in_upcall], eax',
      '  mov eax, __HYPERVISOR_iret', '  int HYPERCALL',
      'upcalls: dd 0', 'mask_in_upcall: dd 0xFF',
    ].join('\n');
    const armIn = (ns: number): string => [
      '  mov ebx, [ebp + SHARED_SYSTEM_TIME]', `  add ebx, ${ns}`, '  mov ecx, [ebp + SHARED_SYSTEM_TIME + 4]',
      '  mov eax, __HYPERVISOR_set_timer_op', '  int HYPERCALL',
    ].join('\n');

    it('a due upcall waits while masked (pending set) and is delivered as soon as the guest unmasks; iret unmasks and gives EAX back', () => {
      const run = runPv([
        hc('__HYPERVISOR_set_callbacks', 'FLAT_KERNEL_CS', 'upcall'),
        armIn(1000),
        '  mov ecx, 5000', '.spin: loop .spin',
        '  mov eax, [upcalls]', '  stosd',
        '  movzx eax, byte [ebp + SHARED_UPCALL_PENDING]', '  stosd',
        '  mov eax, 0x1234',
        '  mov byte [ebp + SHARED_UPCALL_MASK], 0', // sti: the upcall comes here
        '  stosd',
        '  mov eax, [upcalls]', '  stosd',
        '  mov eax, [mask_in_upcall]', '  stosd',
        '  movzx eax, byte [ebp + SHARED_UPCALL_MASK]', '  stosd',
        '  movzx eax, byte [ebp + SHARED_UPCALL_PENDING]', '  stosd',
      ].join('\n'), upcall);
      // set_callbacks, upcalls while masked, pending, EAX after the upcall, upcalls, mask inside it, mask and pending after
      assert.deepEqual(results(run, 8), [0, 0, 1, 0x1234, 1, 1, 0, 0]);
      assert.equal(run.hypervisor!.counters.virtualInterrupts, 1);
    });

    it('set_timer_op wakes sched_op block through the upcall, at the deadline of virtual time', () => {
      const run = runPv([
        hc('__HYPERVISOR_set_callbacks', 'FLAT_KERNEL_CS', 'upcall'),
        '  mov esi, [ebp + SHARED_SYSTEM_TIME]',
        armIn(1_000_000),
        hc('__HYPERVISOR_sched_op', 'SCHEDOP_block'),
        '  mov eax, [upcalls]', '  stosd',
        hc('__HYPERVISOR_xen_version'),
        '  mov eax, [ebp + SHARED_SYSTEM_TIME]', '  sub eax, esi', '  stosd',
      ].join('\n'), upcall);
      const [callbacks, blocked, upcalls, version, elapsedNs] = results(run, 5);
      assert.deepEqual([callbacks, blocked, version], [0, 0, 0x00040000]);
      assert.equal(upcalls, 1);
      assert.ok(elapsedNs! >= 1_000_000 && elapsedNs! < 1_010_000, `woke after ${elapsedNs} ns`);
      assert.ok(run.cpu.instructionsRetired < 1000, 'the wait skipped idle time instead of running through it');
    });

    it('shared_info system time advances with virtual time each time the VMM runs', () => {
      const run = runPv([
        '  mov esi, [ebp + SHARED_SYSTEM_TIME]',
        '  mov ecx, 1000', '.spin: loop .spin',
        hc('__HYPERVISOR_xen_version'),
        '  mov eax, [ebp + SHARED_SYSTEM_TIME]', '  sub eax, esi', '  stosd',
      ].join('\n'));
      const [, elapsedNs] = results(run, 2);
      assert.ok(elapsedNs! >= 1000 && elapsedNs! < 1100, `${elapsedNs} ns`);
    });
  });

  describe('what a PV guest must not do', () => {
    it('a privileged instruction at ring 1 stops the guest with its address and the hypercall to use', () => {
      const cases: [string, RegExp][] = [
        ['  mov dx, 0x3FD\n  in al, dx', /I\/O instruction `in al, ?dx` at 0x[0-9A-F]{8}: .*hypercall.*console_io/],
        ['  mov eax, 0x300000\n  mov cr3, eax', /privileged instruction `mov cr3, ?eax` at 0x[0-9A-F]{8}: .*mmuext_op \(26\) NEW_BASEPTR/],
        ['  hlt', /privileged instruction `hlt` at 0x0010000D: .*sched_op \(29\) block/],
        ['  cli', /IOPL-sensitive instruction `cli` at .*upcall_mask/],
        ['  lidt [0x1000]', /`lidt \[(dword )?0x0*1000\]`.*set_trap_table \(0\)/],
      ];
      for (const [body, message] of cases) {
        const run = runPv(body);
        const exit = exitOf(run);
        assert.equal(exit.reason, 'guest-error', body);
        assert.equal(exit.code, 6);
        assert.match(exit.detail!, message);
        assert.equal(run.hypervisor!.events.last?.kind, 'guest-error');
      }
    });

    it('a sensitive instruction at ring 1 is reported once per address and the guest runs on', () => {
      const run = runPv(['  mov ecx, 3', '.again: sgdt [gdtr]', '  pushfd', '  popfd', '  loop .again', '  mov ax, FLAT_KERNEL_DS', '  mov ds, ax'].join('\n'), 'gdtr: dq 0');
      assert.equal(exitOf(run).code, 1);
      const holes = run.hypervisor!.holeList();
      assert.deepEqual(holes.map((h) => h.instruction.split(' ')[0]), ['sgdt', 'pushfd', 'popfd']);
      assert.deepEqual(holes.map((h) => h.count), [3, 3, 3]);
      assert.match(holes[0]!.detail, /a PV guest must not use it/);
    });

    it('int 0x82 from ring 3 is not a hypercall: the guest gets #GP through its trap table', () => {
      const run = runPv([
        hc('__HYPERVISOR_set_trap_table', 'table'),
        hc('__HYPERVISOR_stack_switch', 'FLAT_KERNEL_DS', '0x170000'),
        '  mov ax, FLAT_USER_DS', '  mov ds, ax', '  mov es, ax', // the kernel's DPL 1 data would be nulled on the way to ring 3
        '  push dword FLAT_USER_DS', '  push dword 0x160000', '  push dword 0x202', '  push dword FLAT_USER_CS', '  push dword user',
        '  mov eax, __HYPERVISOR_iret', '  int HYPERCALL',
        'user:', '  mov eax, __HYPERVISOR_xen_version', '  int HYPERCALL', '  jmp $',
        'gp:', '  mov eax, [esp]', `  mov [${RESULTS + 8}], eax`, // the error code: IDT entry 0x82
        '  mov eax, [esp + 8]', `  mov [${RESULTS + 12}], eax`, // CS of ring 3
      ].join('\n'), ['table: db 13, 0', '  dw FLAT_KERNEL_CS', '  dd gp', '  dq 0'].join('\n'));
      assert.deepEqual(results(run, 4), [0, 0, 0x82 * 8 + 2, 0xe02b]);
      assert.equal(exitOf(run).code, 1);
      assert.equal(run.hypervisor!.counters.hypercalls, 4); // trap table, stack, iret, shutdown
    });
  });
});
