// The hardware-assisted engine: unmodified guests print byte for byte what they print under
// native (VT-x is fully virtualizable), and the VM exits by reason and qualification match what
// the guest executed under the VMCS controls (Intel's encodings, shared/REFERENCES.md).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  crAccessQualification, decodeIoQualification, EXIT_REASON, EXIT_REASON_NAMES, eptViolationQualification, ioQualification,
} from '../../../core/hypervisor/exitReasons';
import { DEFAULT_VMCS_CONTROLS, parseVmcsControls } from '../../../core/hypervisor/vmcsControls';
import { EXIT_WITH, guest, runSource, SOURCES } from '../run/guests';
import { exitsOf, finish, bootFile, HW_EXITS, hwEngine, ROOT, runHw, traceNative } from './hwSupport';

const EXAMPLES = ['kernel.gasm', 'hello.gasm', 'exceptions.gasm', 'hw-exits.gasm'].map((f) => path.join(ROOT, 'examples', f));
const KERNEL_DIR = path.join(ROOT, 'test', 'oracle', 'kernels');
const KERNELS = fs.readdirSync(KERNEL_DIR).filter((f) => f.endsWith('.gasm')).sort().map((f) => path.join(KERNEL_DIR, f));
const IO_OUT_IN_HW_EXITS = 21;

describe('hw: VT-x exit information encodings', () => {
  it('exit reasons carry Intel\'s basic numbers (SDM vol. 3, appendix C, as shared/REFERENCES.md lists them)', () => {
    const sdm: Record<number, string> = {
      0: 'EXCEPTION_NMI', 1: 'EXTERNAL_INTERRUPT', 2: 'TRIPLE_FAULT', 7: 'INTERRUPT_WINDOW', 10: 'CPUID', 12: 'HLT',
      13: 'INVD', 14: 'INVLPG', 15: 'RDPMC', 16: 'RDTSC', 18: 'VMCALL', 28: 'CR_ACCESS', 29: 'DR_ACCESS',
      30: 'IO_INSTRUCTION', 31: 'RDMSR', 32: 'WRMSR', 33: 'ENTRY_FAILURE', 46: 'GDTR_IDTR_ACCESS',
      47: 'LDTR_TR_ACCESS', 48: 'EPT_VIOLATION', 54: 'WBINVD',
    };
    assert.deepEqual({ ...EXIT_REASON_NAMES }, sdm);
    for (const [name, reason] of Object.entries(EXIT_REASON)) assert.equal(sdm[reason], name);
  });

  it('control-register access: CR in bits 3:0, access type in 5:4, GPR in 11:8', () => {
    assert.equal(crAccessQualification(3, 0, 3), 0x303); // mov cr3, ebx
    assert.equal(crAccessQualification(3, 1, 0), 0x013); // mov eax, cr3
    assert.equal(crAccessQualification(3, 1, 7), 0x713); // mov edi, cr3
  });

  it('I/O: size - 1, direction (1 IN), string, REP, immediate, port in 31:16', () => {
    assert.equal(ioQualification({ port: 0xf4, sizeBytes: 1, in: false, string: false, rep: false, immediate: true }), 0x00f40040);
    assert.equal(ioQualification({ port: 0x3f8, sizeBytes: 1, in: false, string: true, rep: true, immediate: false }), 0x03f80030);
    assert.equal(ioQualification({ port: 0xcfc, sizeBytes: 4, in: true, string: false, rep: false, immediate: false }), 0x0cfc000b);
    const q = ioQualification({ port: 0x1f0, sizeBytes: 2, in: true, string: true, rep: true, immediate: false });
    assert.deepEqual(decodeIoQualification(q), { port: 0x1f0, sizeBytes: 2, in: true, string: true, rep: true, immediate: false });
  });

  it('EPT violation: read/write/fetch in bits 0-2, linear address valid (7), final translation (8)', () => {
    assert.equal(eptViolationQualification('fetch', true), 0x184);
    assert.equal(eptViolationQualification('write', true), 0x182);
    assert.equal(eptViolationQualification('read', false), 0x081);
  });
});

describe('hw: equivalence with native (console bytes and exit status)', function () {
  this.timeout(600_000);
  const configurations: [string, Record<string, unknown> | undefined][] = [
    ['default controls', undefined],
    ['shadow paging (ept false)', { ept: false }],
    ['every optional exit on', { cr3LoadExiting: true, cr3StoreExiting: true, exceptionBitmap: Array.from({ length: 32 }, (_, i) => i) }],
    ['every optional exit off', { hltExiting: false, ioExiting: 'off', interruptWindowExiting: false }],
  ];
  for (const file of [...EXAMPLES, ...KERNELS]) {
    const name = path.relative(ROOT, file);
    it(`${name}`, () => {
      const native = finish(bootFile(file));
      for (const [label, vmcs] of configurations) {
        const hw = runHw(file, vmcs);
        assert.equal(hw.console, native.console, `${label}: console differs`);
        assert.deepEqual(hw.exit, native.exit, `${label}: exit differs`);
        assert.equal(hw.report.stats.instructions, native.report.stats.instructions, `${label}: instructions retired differ`);
      }
    });
  }
});

describe('hw: exit counts match what examples/hw-exits.gasm executed', function () {
  this.timeout(120_000);

  it('defaults: 3 HLT, 2 CPUID, no CR access, 21 OUT and every IN, 1 interrupt window, 2 EPT violations', () => {
    const f = runHw(HW_EXITS);
    const ex = f.report.stats.vmExits;
    assert.equal(f.exit.code, 1);
    assert.equal(ex['HLT'], 3);
    assert.equal(ex['CPUID'], 2);
    assert.equal(ex['CR_ACCESS'], undefined);
    assert.equal(ex['INTERRUPT_WINDOW'], 1);
    assert.equal(ex['EPT_VIOLATION'], 2);
    const io = exitsOf(f, EXIT_REASON.IO_INSTRUCTION).map((e) => decodeIoQualification(e.qualification!));
    assert.equal(io.filter((q) => !q.in).length, IO_OUT_IN_HW_EXITS);
    const ins = io.filter((q) => q.in);
    assert.ok(ins.length > 0 && ins.every((q) => q.port === 0x20 && q.immediate && q.sizeBytes === 1));
    assert.equal(ex['IO_INSTRUCTION'], io.length);
    // The two REP OUTSB lines: one exit each for the whole string.
    assert.equal(io.filter((q) => q.string && q.rep && q.port === 0x3f8).length, 2);
    assert.equal(f.report.stats.counters['virtualInterrupts'], 4);
  });

  it('hltExiting false: the HLTs run in the guest, no exit', () => {
    const f = runHw(HW_EXITS, { hltExiting: false });
    assert.equal(f.report.stats.vmExits['HLT'], undefined);
    assert.equal(f.report.stats.vmExits['CPUID'], 2);
  });

  it('cr3LoadExiting and cr3StoreExiting: one exit per MOV, qualification naming CR3, the direction and the register', () => {
    const f = runHw(HW_EXITS, { cr3LoadExiting: true, cr3StoreExiting: true });
    assert.deepEqual(exitsOf(f, EXIT_REASON.CR_ACCESS).map((e) => e.qualification), [0x313, 0x303, 0x103]);
    assert.equal(exitsOf(f, EXIT_REASON.CR_ACCESS)[0]!.instruction, 'mov ebx, cr3');
    const loads = runHw(HW_EXITS, { cr3LoadExiting: true });
    assert.deepEqual(exitsOf(loads, EXIT_REASON.CR_ACCESS).map((e) => e.qualification), [0x303, 0x103]);
    const stores = runHw(HW_EXITS, { cr3StoreExiting: true });
    assert.deepEqual(exitsOf(stores, EXIT_REASON.CR_ACCESS).map((e) => e.qualification), [0x313]);
  });

  it('ioExiting bitmap: only the listed ports exit (a word or dword access exits when any of its ports is listed)', () => {
    const exitPort = runHw(HW_EXITS, { ioExiting: 'bitmap', ioBitmap: ['0xF4'] });
    assert.deepEqual(exitsOf(exitPort, EXIT_REASON.IO_INSTRUCTION).map((e) => e.qualification), [0x00f40040]);
    const pit = runHw(HW_EXITS, { ioExiting: 'bitmap', ioBitmap: [0x40, 0x43] });
    assert.equal(pit.report.stats.vmExits['IO_INSTRUCTION'], 3);
    const uart = runHw(HW_EXITS, { ioExiting: 'bitmap', ioBitmap: ['0x3f8'] });
    assert.deepEqual(exitsOf(uart, EXIT_REASON.IO_INSTRUCTION).map((e) => e.qualification), [0x03f80030, 0x03f80030]);
    const off = runHw(HW_EXITS, { ioExiting: 'off' });
    assert.equal(off.report.stats.vmExits['IO_INSTRUCTION'], undefined);
    const wide = runHw(path.join(ROOT, 'g.gasm'), { ioExiting: 'bitmap', ioBitmap: [0xcfd] }, {},
      guest(`  mov dx, 0xCF8\n  mov eax, 0x80000000\n  out dx, eax\n  mov dx, 0xCFC\n  in eax, dx\n${EXIT_WITH(0)}`));
    assert.deepEqual(exitsOf(wide, EXIT_REASON.IO_INSTRUCTION).map((e) => e.qualification), [0x0cfc000b]);
  });

  it('interruptWindowExiting false: the interrupt is injected without an exit', () => {
    const f = runHw(HW_EXITS, { interruptWindowExiting: false });
    assert.equal(f.report.stats.vmExits['INTERRUPT_WINDOW'], undefined);
    assert.equal(f.report.stats.counters['virtualInterrupts'], 4);
  });

  it('EPT violations: the first instruction fetch, then the first stack write, with both addresses', () => {
    const f = runHw(HW_EXITS);
    const [fetch, write] = exitsOf(f, EXIT_REASON.EPT_VIOLATION);
    assert.equal(fetch!.qualification, 0x184);
    assert.equal(write!.qualification, 0x182);
    const engine = hwEngine(f);
    assert.equal(engine.ept!.populatedPages, 2);
    assert.ok(engine.ept!.isPresent(0x100) && engine.ept!.isPresent(0x101));
  });

  it('type 2: every exit is a world switch through the host', () => {
    const f = runHw(HW_EXITS, undefined, { hypervisor: 'type2' });
    const total = Object.values(f.report.stats.vmExits).reduce((a, b) => a + b, 0);
    assert.equal(f.report.stats.counters['worldSwitches'], total);
    const t1 = runHw(HW_EXITS);
    assert.ok(f.report.stats.simulatedCycles > t1.report.stats.simulatedCycles);
  });

  it('the cost sheet: I/O exits at hwIoExit, other exits at vmExit, EPT violations at vtShadowUpdate, I/O without exit at nativeIo', () => {
    const f = runHw(HW_EXITS);
    const line = (name: string): number => f.report.stats.cycles.find((l) => l.name === name)?.count ?? 0;
    const ex = f.report.stats.vmExits;
    assert.equal(line('hwIoExit'), ex['IO_INSTRUCTION']);
    assert.equal(line('vtShadowUpdate'), ex['EPT_VIOLATION']);
    assert.equal(line('vmExit'), ex['HLT']! + ex['CPUID']! + ex['INTERRUPT_WINDOW']!);
    assert.equal(line('nativeIo'), 0);
    const off = runHw(HW_EXITS, { ioExiting: 'off' });
    assert.equal(off.report.stats.cycles.find((l) => l.name === 'nativeIo')?.count, off.report.stats.counters['ioAccesses']);
  });

  it('the VMCS fields show the controls, the guest state and the last exit (OUT to 0xF4)', () => {
    const f = runHw(HW_EXITS);
    const fields = new Map(hwEngine(f).vmcs.fields().map((x) => [x.name, x.value]));
    assert.equal(fields.get('VM_EXIT_REASON'), EXIT_REASON.IO_INSTRUCTION);
    assert.equal(fields.get('EXIT_QUALIFICATION'), 0x00f40040);
    assert.equal(fields.get('VM_EXIT_INSTRUCTION_LEN'), 2);
    // Primary: interrupt window (2), HLT (7), unconditional I/O (24), secondary controls (31).
    assert.equal(fields.get('CPU_BASED_VM_EXEC_CONTROL'), ((1 << 2) | (1 << 7) | (1 << 24) | (1 << 31)) >>> 0);
    assert.equal(fields.get('SECONDARY_VM_EXEC_CONTROL'), 1 << 1);
    assert.equal(fields.get('PIN_BASED_VM_EXEC_CONTROL'), 0);
    assert.equal(fields.get('GUEST_CS_SELECTOR'), 0x08);
    assert.equal(fields.get('GUEST_CR3'), f.report.control.cr3);
    assert.equal(fields.get('GUEST_RIP'), f.report.registers.eip);
    const shadow = new Map(hwEngine(runHw(HW_EXITS, { ept: false })).vmcs.fields().map((x) => [x.name, x.value]));
    // EPT off: INVLPG (9), CR3 load (15) and store (16) exiting forced on, #PF in the bitmap.
    assert.equal(shadow.get('CPU_BASED_VM_EXEC_CONTROL'), ((1 << 2) | (1 << 7) | (1 << 9) | (1 << 15) | (1 << 16) | (1 << 24)) >>> 0);
    assert.equal(shadow.get('EXCEPTION_BITMAP'), 1 << 14);
  });
});

describe('hw: EPT and shadow paging against what the guest touched', function () {
  this.timeout(300_000);

  for (const name of ['examples/hello.gasm', 'examples/kernel.gasm', 'examples/hw-exits.gasm', 'test/oracle/kernels/paging.gasm', 'test/oracle/kernels/rings.gasm']) {
    it(`${name}: one EPT violation per distinct guest-physical page touched (paging structures included)`, () => {
      const file = path.join(ROOT, name);
      const native = traceNative(file);
      const hw = runHw(file);
      assert.equal(hw.report.stats.vmExits['EPT_VIOLATION'], native.pages.size);
      assert.equal(hwEngine(hw).ept!.populatedPages, native.pages.size);
    });
  }

  it('EPT off: CR3 loads and INVLPG exit, and every hidden page fault and page-table write is a #PF exit', () => {
    const f = runHw(path.join(ROOT, 'test/oracle/kernels/paging.gasm'), { ept: false });
    const ex = f.report.stats.vmExits;
    const c = f.report.stats.counters;
    assert.ok((ex['CR_ACCESS'] ?? 0) > 0 && (ex['INVLPG'] ?? 0) > 0);
    assert.equal(ex['EPT_VIOLATION'], undefined);
    assert.ok(c['hiddenPageFaults']! > 0);
    assert.ok(ex['EXCEPTION_NMI']! >= c['hiddenPageFaults']! + c['shadowUpdates']!);
    const withEpt = runHw(path.join(ROOT, 'test/oracle/kernels/paging.gasm'));
    assert.equal(withEpt.report.stats.vmExits['CR_ACCESS'], undefined);
    assert.equal(withEpt.report.stats.vmExits['INVLPG'], undefined);
  });

  it('a guest reaching the VMM\'s memory above its RAM is refused by the VMM (guest-error), never run', () => {
    const src = guest(`  mov eax, [0x2000000]\n${EXIT_WITH(0)}`);
    const f = runHw(path.join(ROOT, 'g.gasm'), undefined, {}, src);
    assert.equal(f.exit.reason, 'guest-error');
    assert.match(f.exit.detail ?? '', /EPT violation at guest-physical 0x02000000.*hypervisor owns/);
    const shadow = runHw(path.join(ROOT, 'g.gasm'), { ept: false }, {}, src);
    assert.equal(shadow.exit.reason, 'guest-error');
  });
});

describe('hw: exceptions, triple fault, VMCALL, MSRs', function () {
  this.timeout(120_000);

  it('exception bitmap: one exit per exception the guest raised, each re-injected (same output)', () => {
    const file = path.join(ROOT, 'examples/exceptions.gasm');
    const native = traceNative(file);
    const all = runHw(file, { exceptionBitmap: Array.from({ length: 32 }, (_, i) => i) });
    let total = 0;
    for (const n of native.exceptions.values()) total += n;
    assert.ok(total > 0);
    assert.equal(all.report.stats.vmExits['EXCEPTION_NMI'], total);
    assert.equal(all.console, native.console);
    const gpOnly = runHw(file, { exceptionBitmap: ['#GP'] });
    assert.equal(gpOnly.report.stats.vmExits['EXCEPTION_NMI'], native.exceptions.get(13));
    const gp = exitsOf(gpOnly, EXIT_REASON.EXCEPTION_NMI)[0]!;
    assert.match(gp.detail, /#GP is in the exception bitmap/);
    const none = runHw(file);
    assert.equal(none.report.stats.vmExits['EXCEPTION_NMI'], undefined);
  });

  it('triple fault: exit 2, and the machine shuts down as under native (status 3)', () => {
    const f = runHw(path.join(ROOT, 'g.gasm'), undefined, {}, SOURCES.tripleFault);
    assert.equal(f.exit.reason, 'triple-fault');
    assert.equal(f.exit.code, 3);
    assert.equal(f.report.stats.vmExits['TRIPLE_FAULT'], 1);
    assert.equal(hwEngine(f).vmcs.lastExit?.reason, EXIT_REASON.TRIPLE_FAULT);
  });

  it('VMCALL always exits; the VMM has no hypercall ABI under hw and answers -ENOSYS', () => {
    const src = guest(`  mov eax, 1\n  vmcall\n  cmp eax, -38\n  jne .bad\n${EXIT_WITH(0)}.bad:\n${EXIT_WITH(5)}`);
    const f = runHw(path.join(ROOT, 'g.gasm'), { hltExiting: false, ioExiting: 'off' }, {}, src);
    assert.equal(f.exit.code, 1);
    assert.equal(f.report.stats.vmExits['VMCALL'], 1);
    assert.equal(exitsOf(f, EXIT_REASON.VMCALL)[0]!.instruction, 'vmcall');
  });

  it('RDMSR, WRMSR, INVD and CPUID exit unconditionally; a privileged instruction at CPL 3 faults before it could exit', () => {
    const src = guest(`  mov ecx, 0x10\n  rdmsr\n  wrmsr\n  invd\n  xor eax, eax\n  cpuid\n${EXIT_WITH(0)}`);
    const f = runHw(path.join(ROOT, 'g.gasm'), { ioExiting: 'off' }, {}, src);
    assert.equal(f.exit.code, 1);
    const ex = f.report.stats.vmExits;
    assert.deepEqual([ex['RDMSR'], ex['WRMSR'], ex['INVD'], ex['CPUID']], [1, 1, 1, 1]);
    // rings.gasm runs HLT, MOV CR3 and I/O at CPL 3 with IOPL 0: each #GP is the guest's own.
    const rings = runHw(path.join(ROOT, 'test/oracle/kernels/rings.gasm'), { cr3LoadExiting: true, cr3StoreExiting: true });
    assert.equal(rings.report.stats.vmExits['HLT'], undefined);
  });
});

describe('hw: a launch configuration that makes no sense is refused, naming the field', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ hltExit: true }, /^vmcs\.hltExit: unknown VMCS control/],
    [{ ioExiting: 'bitmap' }, /^vmcs\.ioBitmap: ioExiting 'bitmap' needs the ports/],
    [{ ioExiting: 'sometimes' }, /^vmcs\.ioExiting: expected 'unconditional', 'bitmap' or 'off'/],
    [{ ioExiting: 'bitmap', ioBitmap: [0x3f8, 0x10000] }, /^vmcs\.ioBitmap\[1\]: 65536 is not a port/],
    [{ ioExiting: 'bitmap', ioBitmap: 'all' }, /^vmcs\.ioBitmap: expected a list/],
    [{ ioBitmap: [0xf4] }, /^vmcs\.ioBitmap: only used with ioExiting 'bitmap'/],
    [{ exceptionBitmap: [14, 32] }, /^vmcs\.exceptionBitmap\[1\]: 32 is not an exception vector/],
    [{ exceptionBitmap: ['#XX'] }, /^vmcs\.exceptionBitmap\[0\]/],
    [{ hltExiting: 'yes' }, /^vmcs\.hltExiting: expected true or false/],
    [{ ept: 1 }, /^vmcs\.ept: expected true or false/],
    [{ ept: false, cr3LoadExiting: false }, /^vmcs\.cr3LoadExiting: must be true when ept is false/],
    [{ ept: false, cr3StoreExiting: false }, /^vmcs\.cr3StoreExiting: must be true when ept is false/],
  ];
  for (const [vmcs, message] of cases) {
    it(`${JSON.stringify(vmcs)} -> bad-configuration, status 2`, () => {
      const o = runSource(SOURCES.hello, { mode: 'hardware-assisted', vmcs });
      assert.equal(o.booted, false);
      assert.equal(o.exit.reason, 'bad-configuration');
      assert.equal(o.exit.code, 2);
      assert.match(o.exit.detail ?? '', message);
    });
  }

  it('the defaults, and what ept false changes', () => {
    const d = parseVmcsControls(undefined);
    assert.ok('controls' in d);
    assert.deepEqual({ ...d.controls, invlpgExiting: undefined, exceptionMask: undefined }, { ...DEFAULT_VMCS_CONTROLS, invlpgExiting: undefined, exceptionMask: undefined });
    const s = parseVmcsControls({ ept: false });
    assert.ok('controls' in s);
    assert.equal(s.controls.cr3LoadExiting, true);
    assert.equal(s.controls.cr3StoreExiting, true);
    assert.equal(s.controls.invlpgExiting, true);
    assert.equal(s.controls.exceptionMask, 1 << 14);
  });
});
