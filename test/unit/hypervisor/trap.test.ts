// trap-and-emulate: the kernel at ring 1, privileged instructions trapped and emulated on the
// virtual CPU, the non-virtualizable ones recorded as holes by address, and divergence from
// native exactly where the lecture says it must happen.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assemble } from '../../../core/asm';
import { NodeSourceFiles } from '../../../cli/nodeFiles';
import { Decoded } from '../../../core/disasm/decoded';
import { decode } from '../../../core/disasm/decoder';
import { EXAMPLES, KERNELS, runFile } from '../../support/runFile';
import { EXIT_WITH, guest, runSource } from '../run/guests';

const TRAP = 'trap-and-emulate' as const;

/** Guests that use no instruction of Robin and Irvine's list in a way that shows: identical. */
const EQUIVALENT = [
  path.join(EXAMPLES, 'hello.gasm'), path.join(EXAMPLES, 'kernel.gasm'), path.join(EXAMPLES, 'exceptions.gasm'),
  ...['timer', 'paging', 'pci', 'halt', 'exceptions', 'stream', 'triplefault', 'callgate'].map((k) => path.join(KERNELS, `${k}.gasm`)),
];

describe('hypervisor: trap-and-emulate', function () {
  this.timeout(120_000);

  for (const file of EQUIVALENT) {
    it(`${path.relative(path.join(EXAMPLES, '..'), file)} prints and ends as under native`, () => {
      const native = runFile(file, 'native');
      const trap = runFile(file, TRAP);
      assert.equal(trap.reason, native.reason);
      assert.equal(trap.status, native.status);
      // callgate.gasm prints the gate's CS, which shows RPL 1 at ring 1: that one line may differ.
      const strip = (s: string): string => file.endsWith('callgate.gasm') ? s.replace(/cs 0x000[89]/g, 'cs 0x0008') : s;
      assert.equal(strip(trap.console), strip(native.console));
    });
  }

  it('the kernel runs at hardware ring 1 while it believes ring 0; user code runs at ring 3', () => {
    const r = runFile(path.join(EXAMPLES, 'hello.gasm'), TRAP);
    assert.ok(r.outcome.booted);
    const report = r.outcome.run.report();
    assert.equal(report.cpl, 1);
    assert.equal(report.vcpu.vcpl, 0);
    assert.equal(report.segments.cs.selector & 3, 1);
    assert.equal(report.segments.cs.dpl, 1);
    assert.equal(report.mode, TRAP);
    assert.equal(report.hypervisor, 'type1');
  });

  it('each privileged instruction traps once and is emulated (MOV from CR0 five times, one OUT)', () => {
    const o = runSource(guest(`  mov ecx, 5\n.l:\n  mov ebx, cr0\n  loop .l\n${EXIT_WITH(0)}`), { mode: TRAP });
    assert.ok(o.booted);
    assert.deepEqual(o.exit, { reason: 'exit', code: 1 });
    const r = o.run.report();
    assert.equal(r.stats.traps, 6);
    assert.equal(r.registers.ebx & 1, 1, 'the guest read its own CR0 (PE set)');
    assert.equal(r.registers.ebx & 8, 0, 'and not the hardware\'s TS bit');
    const events = o.run.hypervisor!.events.recent().filter((e) => e.kind === 'trap');
    assert.deepEqual(events.map((e) => e.instruction), [...Array(5).fill('mov ebx, cr0'), 'out 0xf4, al']);
  });

  it('instruction counts and virtual time are those of native: the timer fires at the same guest instruction', () => {
    const file = path.join(KERNELS, 'timer.gasm');
    const native = runFile(file, 'native');
    const trap = runFile(file, TRAP);
    assert.ok(native.outcome.booted && trap.outcome.booted);
    assert.equal(trap.outcome.run.report().stats.instructions, native.outcome.run.report().stats.instructions);
  });

  it('CLI and STI change only the virtual IF: the report shows the guest\'s IF, the hardware keeps IF = 1', () => {
    const o = runSource(guest(`  sti\n  nop\n  cli\n  mov al, 0\n  out 0xF4, al`), { mode: TRAP });
    assert.ok(o.booted);
    const r = o.run.report();
    assert.equal(r.vcpu.vif, false);
    assert.equal((r.registers.eflags >>> 9) & 1, 1);
    const on = runSource(guest(`  sti\n  mov al, 0\n  out 0xF4, al`), { mode: TRAP });
    assert.ok(on.booted);
    assert.equal(on.run.report().vcpu.vif, true);
  });

  it('cli; hlt halts for good (nothing can wake the virtual CPU)', () => {
    assert.deepEqual(runSource(guest('  cli\n  hlt'), { mode: TRAP }).exit, { reason: 'halt', code: 0 });
  });

  describe('examples/trap-holes.gasm: the holes of Robin and Irvine', () => {
    const file = path.join(EXAMPLES, 'trap-holes.gasm');

    it('native answers with the kernel\'s own state', () => {
      const r = runFile(file, 'native');
      assert.match(r.console, /sgdt: gdt base (0x[0-9A-F]{8}), loaded \1/);
      assert.match(r.console, /sidt: idt base (0x[0-9A-F]{8}), loaded \1/);
      assert.match(r.console, /str: task register 0x00000028/);
      assert.match(r.console, /smsw: PE MP EM TS = 0x00000001/);
      assert.match(r.console, /mov ax, cs: 0x00000008/);
      assert.match(r.console, /pushf after cli: IF = 0x00000000/);
      assert.match(r.console, /the timer interrupt arrived: popf restored IF\r\n$/);
      assert.equal(r.status, 1);
    });

    it('trap diverges where the lecture says: the VMM\'s tables, RPL 1, the real IF, and POPF loses IF', () => {
      const r = runFile(file, TRAP);
      // POPF left the virtual IF at 0: no interrupt can end the last HLT, so the machine halts.
      assert.equal(r.reason, 'halt');
      assert.equal(r.status, 0);
      assert.match(r.console, /sgdt: gdt base 0xFFC00000, loaded 0x[0-9A-F]{8}/);
      assert.match(r.console, /sidt: idt base 0xFFC10000, loaded/);
      assert.match(r.console, /str: task register 0x0000E038/);
      assert.match(r.console, /smsw: PE MP EM TS = 0x00000009/);
      assert.match(r.console, /mov ax, cs: 0x00000009/);
      assert.match(r.console, /pushf after cli: IF = 0x00000200/);
      assert.match(r.console, /waiting for the timer with hlt\r\n$/);
      assert.doesNotMatch(r.console, /the timer interrupt arrived/);
    });

    it('every sensitive instruction the kernel executed is a hole, by address, and nothing else is', () => {
      const r = runFile(file, TRAP);
      assert.ok(r.outcome.booted);
      const holes = r.outcome.run.report().holes;
      // Expected independently of the VMM: every instruction of the image whose form the table
      // classes as sensitive (this kernel executes each of them once, at ring 0).
      const asm = assemble(fs.readFileSync(file, 'utf8'), { file, files: new NodeSourceFiles([EXAMPLES + path.sep]) });
      const d = new Decoded();
      const expected = asm.sourceMap.filter((m) => m.isCode).map((m) => {
        decode(asm.bytes, m.addr - asm.origin, m.addr, d, asm.bytes.length);
        return { eip: m.addr, sensitive: d.form?.privilege === 'sensitive' };
      }).filter((x) => x.sensitive).map((x) => x.eip);
      assert.deepEqual(holes.map((h) => h.eip), expected);
      const byText = new Map(holes.map((h) => [h.instruction.split(' ')[0], h.detail]));
      assert.match(byText.get('sgdt')!, /VMM's GDTR \(base 0xffc00000/);
      assert.match(byText.get('str')!, /VMM's task register 0xe038; the guest loaded 0x28/);
      assert.match(byText.get('popfd')!, /asked for IF=1, its virtual IF stays 0 \(lost/);
      assert.ok(holes.every((h) => h.count === 1));
    });

    it('bt is not fooled: it prints what native prints', function () {
      const native = runFile(file, 'native');
      const bt = runFile(file, 'binary-translation');
      assert.equal(bt.console, native.console);
    });
  });

  it('type 2 sends every trap and every device access through the host: world switches', () => {
    const file = path.join(EXAMPLES, 'hello.gasm');
    const t1 = runFile(file, TRAP);
    const t2 = runFile(file, TRAP, { hypervisor: 'type2' });
    assert.ok(t1.outcome.booted && t2.outcome.booted);
    const r1 = t1.outcome.run.report();
    const r2 = t2.outcome.run.report();
    assert.equal(r2.console, r1.console);
    assert.equal(r1.stats.counters['worldSwitches'], 0);
    assert.equal(r2.stats.counters['worldSwitches'], r2.stats.traps);
    assert.ok(r2.stats.simulatedCycles > r1.stats.simulatedCycles);
    assert.equal(r2.hypervisor, 'type2');
  });

  it('the simulated cycles are the sum of the cost lines, and a trap costs more than native', () => {
    const file = path.join(EXAMPLES, 'kernel.gasm');
    const native = runFile(file, 'native');
    const trap = runFile(file, TRAP);
    assert.ok(native.outcome.booted && trap.outcome.booted);
    const r = trap.outcome.run.report();
    assert.equal(r.stats.simulatedCycles, r.stats.cycles.reduce((s, l) => s + l.cycles, 0));
    assert.ok(r.stats.cycles.some((l) => l.name === 'faultRoundTrip' && l.count >= r.stats.traps));
    assert.ok(r.stats.simulatedCycles > native.outcome.run.report().stats.simulatedCycles);
  });

  it('a guest touching memory the hypervisor owns is stopped with a message, never a crash', () => {
    const src = guest(`  mov eax, [0x02000010]\n${EXIT_WITH(0)}`);
    const native = runSource(src, { mode: 'native' });
    assert.deepEqual(native.exit, { reason: 'exit', code: 1 }, 'QEMU reads 0 above RAM; native does too');
    const o = runSource(src, { mode: TRAP });
    assert.equal(o.exit.reason, 'guest-error');
    assert.equal(o.exit.code, 6);
    assert.match(o.exit.detail ?? '', /physical 0x2000000, outside its 32 MiB of RAM/);
  });
});
