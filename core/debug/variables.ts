// What the Variables view shows, as a protocol-free tree: registers (each flag its own row,
// segments with their cached descriptors), system registers (CR0 and CR4 bits, descriptor-table
// registers), the guest's view beside the hardware's, the virtual CPU, the hypervisor (mode,
// type, last event, counters, exits, holes, VMCS fields) and a page-table walk of CR3. Values in
// hex with decimal beside; rows that can be set carry the name to assign.

import type { Cpu } from '../cpu/cpu';
import { CR0, CR4, EFLAGS, type SegmentCache } from '../cpu/cpuState';
import type { Hypervisor } from '../hypervisor';
import { entryFlags, walkLinear } from './pageWalk';
import { FLAG_BITS, guestView, REG32_NAMES, SEGMENT_NAMES } from './registers';

export interface VarNode {
  readonly name: string;
  readonly value: string;
  readonly type?: string;
  /** Children, computed when the user expands the row. */
  readonly children?: () => VarNode[];
  /** A guest address the memory view can open. */
  readonly memoryReference?: number;
  /** The name `assign` accepts (registers and flags); absent: read-only. */
  readonly assignName?: string;
  /** An expression `evaluate` accepts for this row (watch, copy as expression). */
  readonly evaluateName?: string;
}

export interface Scope {
  readonly name: string;
  /** 'registers' for the register scope (VS Code shows it so). */
  readonly presentationHint?: 'registers' | 'locals';
  readonly expensive: boolean;
  readonly variables: () => VarNode[];
}

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const hex4 = (v: number): string => `0x${(v & 0xffff).toString(16).padStart(4, '0')}`;
/** `0x0000002a (42)`: hex for the machine, decimal beside for people. */
export const hexDec = (v: number): string => `${hex8(v)} (${v >>> 0})`;
const bit = (name: string, on: boolean, assignName?: string): VarNode => ({ name, value: on ? '1' : '0', type: 'flag', ...(assignName !== undefined ? { assignName, evaluateName: assignName } : {}) });

const CR0_BITS = Object.entries(CR0) as [string, number][];
const CR4_BITS = Object.entries(CR4) as [string, number][];

/** `startInfoPhys`: under pv, where start_info was at boot (ESI), to find shared_info. */
export function scopes(cpu: Cpu, vmm: Hypervisor | null, startInfoPhys?: number): Scope[] {
  const out: Scope[] = [
    { name: 'Registers', presentationHint: 'registers', expensive: false, variables: () => registers(cpu) },
    { name: 'System registers', expensive: false, variables: () => systemRegisters(cpu) },
    { name: 'Guest vs hardware', expensive: false, variables: () => guestVsHardware(cpu, vmm) },
  ];
  if (vmm !== null) {
    out.push({ name: 'Virtual CPU', expensive: false, variables: () => virtualCpu(cpu, vmm) });
    out.push({ name: 'Hypervisor', expensive: false, variables: () => [...hypervisor(vmm), ...(startInfoPhys !== undefined ? [sharedInfo(cpu, startInfoPhys)] : [])] });
  }
  out.push({ name: 'Page walk (CR3)', expensive: true, variables: () => pageWalk(cpu) });
  return out;
}

function registers(cpu: Cpu): VarNode[] {
  const st = cpu.state;
  const rows: VarNode[] = REG32_NAMES.map((name, i) => ({
    name, value: hexDec(st.regs[i]!), type: 'u32', assignName: name, evaluateName: name, memoryReference: st.regs[i]! >>> 0,
  }));
  rows.push({ name: 'eip', value: hexDec(st.eip), type: 'u32', assignName: 'eip', evaluateName: 'eip', memoryReference: st.eip >>> 0 });
  const eflags = cpu.getEflags();
  rows.push({
    name: 'eflags', value: `${hex8(eflags)} ${flagLetters(eflags)}`, type: 'u32', assignName: 'eflags', evaluateName: 'eflags',
    children: () => [
      ...Object.entries(FLAG_BITS).map(([n, b]) => bit(n.toUpperCase(), (eflags & b) !== 0, n)),
      { name: 'IOPL', value: String((eflags & EFLAGS.IOPL) >>> 12), type: 'u2', assignName: 'iopl', evaluateName: 'iopl' },
    ],
  });
  SEGMENT_NAMES.forEach((name, i) => rows.push(segment(name, st.segs[i]!)));
  return rows;
}

function segment(name: string, s: SegmentCache): VarNode {
  return {
    name, value: `${hex4(s.selector)} (base ${hex8(s.base)}, limit ${hex8(s.limit)}, DPL ${s.dpl})`, type: 'selector', evaluateName: name,
    children: () => [
      { name: 'selector', value: `${hex4(s.selector)} (index ${s.selector >>> 3}, ${(s.selector & 4) !== 0 ? 'LDT' : 'GDT'}, RPL ${s.selector & 3})` },
      { name: 'base', value: hex8(s.base), memoryReference: s.base >>> 0 },
      { name: 'limit', value: hex8(s.limit) },
      { name: 'type', value: `${s.type} (${describeType(s)})` },
      { name: 'dpl', value: String(s.dpl) },
      { name: 'present', value: String(s.present) },
      { name: 'd/b', value: s.db ? '32-bit' : '16-bit' },
      { name: 'usable', value: String(s.usable) },
    ],
  };
}

function describeType(s: SegmentCache): string {
  if (!s.s) return 'system';
  if ((s.type & 8) !== 0) return `code${(s.type & 2) !== 0 ? ', readable' : ''}${(s.type & 4) !== 0 ? ', conforming' : ''}`;
  return `data${(s.type & 2) !== 0 ? ', writable' : ', read-only'}${(s.type & 4) !== 0 ? ', expand-down' : ''}`;
}

function flagLetters(eflags: number): string {
  return Object.entries(FLAG_BITS).filter(([, b]) => (eflags & b) !== 0).map(([n]) => n.toUpperCase()).join(' ');
}

function bitsOf(value: number, bits: [string, number][]): VarNode[] {
  return bits.map(([n, b]) => bit(n, (value & b) !== 0));
}

function systemRegisters(cpu: Cpu): VarNode[] {
  const st = cpu.state;
  return [
    { name: 'cr0', value: `${hex8(st.cr0)} ${bitsOf(st.cr0, CR0_BITS).filter((b) => b.value === '1').map((b) => b.name).join(' ')}`, evaluateName: 'cr0', children: () => bitsOf(st.cr0, CR0_BITS) },
    { name: 'cr2', value: hex8(st.cr2), evaluateName: 'cr2', assignName: 'cr2', memoryReference: st.cr2 >>> 0 },
    { name: 'cr3', value: hex8(st.cr3), evaluateName: 'cr3', assignName: 'cr3' },
    { name: 'cr4', value: hex8(st.cr4), evaluateName: 'cr4', children: () => bitsOf(st.cr4, CR4_BITS) },
    { name: 'cpl', value: String(st.cpl), evaluateName: 'cpl' },
    { name: 'gdtr', value: `base ${hex8(st.gdtr.base)}, limit ${hex4(st.gdtr.limit)}`, memoryReference: st.gdtr.base >>> 0 },
    { name: 'idtr', value: `base ${hex8(st.idtr.base)}, limit ${hex4(st.idtr.limit)}`, memoryReference: st.idtr.base >>> 0 },
    segment('ldtr', st.ldtr),
    segment('tr', st.tr),
  ];
}

/** Side by side: what the guest believes and what the CPU holds (the same under native). */
function guestVsHardware(cpu: Cpu, vmm: Hypervisor | null): VarNode[] {
  const st = cpu.state;
  const view = guestView(cpu, vmm);
  const hwIf = (cpu.getEflags() & EFLAGS.IF) !== 0;
  const vcpu = vmm?.vcpu;
  const row = (name: string, guest: string, hardware: string): VarNode => ({
    name, value: `guest ${guest} | hardware ${hardware}${guest === hardware ? '' : '  (differs)'}`,
    children: () => [{ name: 'guest', value: guest }, { name: 'hardware', value: hardware }],
  });
  return [
    row('CPL', String(view.vcpl), String(st.cpl)),
    row('IF', view.vif ? '1' : '0', hwIf ? '1' : '0'),
    row('IOPL', String(vcpu?.viopl ?? ((cpu.getEflags() & EFLAGS.IOPL) >>> 12)), String((cpu.getEflags() & EFLAGS.IOPL) >>> 12)),
    row('CR0', hex8(vcpu !== undefined && vmm!.mode !== 'hardware-assisted' ? vcpu.vcr0 : st.cr0), hex8(st.cr0)),
    row('CR3', hex8(view.vcr3), hex8(st.cr3)),
    row('GDTR', vcpu !== undefined && vmm!.mode !== 'hardware-assisted' ? `${hex8(vcpu.gdtr.base)}/${hex4(vcpu.gdtr.limit)}` : `${hex8(st.gdtr.base)}/${hex4(st.gdtr.limit)}`, `${hex8(st.gdtr.base)}/${hex4(st.gdtr.limit)}`),
    row('IDTR', vcpu !== undefined && vmm!.mode !== 'hardware-assisted' ? `${hex8(vcpu.idtr.base)}/${hex4(vcpu.idtr.limit)}` : `${hex8(st.idtr.base)}/${hex4(st.idtr.limit)}`, `${hex8(st.idtr.base)}/${hex4(st.idtr.limit)}`),
    row('TR', hex4(vcpu !== undefined && vmm!.mode !== 'hardware-assisted' ? vcpu.tr.selector : st.tr.selector), hex4(st.tr.selector)),
    row('CS', hex4((st.segs[1]!.selector & ~3) | view.vcpl), hex4(st.segs[1]!.selector)),
  ];
}

function virtualCpu(cpu: Cpu, vmm: Hypervisor): VarNode[] {
  const v = vmm.vcpu;
  const view = vmm.view();
  return [
    { name: 'vcpl', value: String(view.vcpl), evaluateName: 'vcpl' },
    { name: 'vif', value: view.vif ? '1' : '0', evaluateName: 'vif', assignName: 'vif' },
    { name: 'viopl', value: String(v.viopl) },
    { name: 'vcr0', value: hex8(v.vcr0) },
    { name: 'vcr3', value: hex8(view.vcr3), evaluateName: 'vcr3' },
    { name: 'gdtr', value: `base ${hex8(v.gdtr.base)}, limit ${hex4(v.gdtr.limit)}` },
    { name: 'idtr', value: `base ${hex8(v.idtr.base)}, limit ${hex4(v.idtr.limit)}` },
    { name: 'tr', value: hex4(v.tr.selector) },
    { name: 'pending interrupt', value: String(cpu.virtualInterrupts?.hasPendingInterrupt() ?? vmm.machine.pic.hasPendingInterrupt()) },
  ];
}

function hypervisor(vmm: Hypervisor): VarNode[] {
  const last = vmm.events.last;
  const counters = Object.entries(vmm.counters).filter(([, v]) => typeof v === 'number') as [string, number][];
  const exits = vmm.counters.exitsByName();
  const holes = vmm.holeList();
  const rows: VarNode[] = [
    { name: 'mode', value: vmm.mode },
    { name: 'type', value: vmm.type },
    { name: 'last event', value: last === undefined ? 'none' : `${last.kind} at ${hex8(last.eip)}${last.instruction ? ` ${last.instruction}` : ''}: ${last.detail}` },
    { name: 'counters', value: counters.filter(([, v]) => v !== 0).map(([k, v]) => `${k}=${v}`).join(' ') || 'all 0', children: () => counters.map(([k, v]) => ({ name: k, value: String(v) })) },
    { name: 'VM exits', value: Object.entries(exits).map(([k, v]) => `${k}=${v}`).join(' ') || 'none', children: () => Object.entries(exits).map(([k, v]) => ({ name: k, value: String(v) })) },
    { name: 'holes', value: `${holes.length}`, children: () => holes.map((h) => ({ name: hex8(h.eip), value: `${h.instruction} x${h.count}: ${h.detail}`, memoryReference: h.eip })) },
    { name: 'recent events', value: `${vmm.events.total} in all`, children: () => vmm.events.recent().slice(-32).map((e, i) => ({ name: String(i), value: `${e.kind} at ${hex8(e.eip)}${e.instruction ? ` ${e.instruction}` : ''}: ${e.detail}` })) },
    { name: 'cost', value: `${vmm.cost().total} simulated cycles`, children: () => vmm.cost().lines.map((l) => ({ name: l.name, value: `${l.count} x = ${l.cycles} cycles` })) },
  ];
  type Unit = { eip: number; instructions: readonly { eip: number; guest: string; translation: string; kind: string }[] };
  const engine = vmm.engine as unknown as { vmcs?: { fields(): { name: string; value: number; group: string }[] }; listing?: () => { units: readonly Unit[]; guestInstructions: number } };
  if (engine.vmcs !== undefined) {
    const vmcs = engine.vmcs;
    rows.push({ name: 'VMCS', value: 'fields', children: () => vmcs.fields().map((f) => ({ name: `${f.group}: ${f.name}`, value: hex8(f.value) })) });
  }
  if (typeof engine.listing === 'function') {
    const listing = engine.listing();
    rows.push({
      name: 'translation cache', value: `${listing.units.length} unit(s), ${listing.guestInstructions} guest instruction(s)`,
      children: () => listing.units.slice(0, 512).map((u) => ({
        name: hex8(u.eip), value: `${u.instructions.length} instruction(s)`, memoryReference: u.eip,
        children: () => u.instructions.map((i) => ({ name: hex8(i.eip), value: `${i.guest}  ->  ${i.translation}  (${i.kind})`, memoryReference: i.eip })),
      })),
    });
  }
  return rows;
}

/** DESIGN's PV ABI: start_info +16 holds shared_info's physical address; shared_info +0 u8
 *  upcall_pending, +1 u8 upcall_mask, +8 u64 system time in ns. */
function sharedInfo(cpu: Cpu, startInfoPhys: number): VarNode {
  const mem = cpu.memory;
  if (!mem.contains(startInfoPhys, 20)) return { name: 'shared_info', value: 'start_info is not in RAM' };
  const phys = mem.read32(startInfoPhys + 16) >>> 0;
  if (!mem.contains(phys, 16)) return { name: 'shared_info', value: `at ${hex8(phys)}: not in RAM` };
  const pending = mem.read8(phys);
  const mask = mem.read8(phys + 1);
  const timeNs = mem.read32(phys + 8) + mem.read32(phys + 12) * 2 ** 32;
  return {
    name: 'shared_info', value: `at ${hex8(phys)}: upcall_pending ${pending}, upcall_mask ${mask}`, memoryReference: phys,
    children: () => [
      { name: 'upcall_pending (INT_PEND)', value: String(pending), memoryReference: phys },
      { name: 'upcall_mask (not VIF)', value: String(mask), memoryReference: phys + 1 },
      { name: 'system time (ns)', value: String(timeNs), memoryReference: phys + 8 },
      { name: 'start_info', value: hex8(startInfoPhys), memoryReference: startInfoPhys },
    ],
  };
}

function pageWalk(cpu: Cpu): VarNode[] {
  const st = cpu.state;
  const walkRow = (name: string, lin: number): VarNode => {
    const w = walkLinear(cpu, lin);
    return {
      name, value: `${hex8(lin)} -> ${w.physAddr === null ? 'not mapped' : hex8(w.physAddr)} (${w.how})`,
      children: () => w.steps.map((s) => ({ name: `${s.level} at ${hex8(s.physAddr)}`, value: `${hex8(s.value)} ${entryFlags(s.value)}` })),
    };
  };
  const rows: VarNode[] = [
    { name: 'cr3', value: `${hex8(st.cr3)} (page directory), paging ${(st.cr0 & CR0.PG) !== 0 ? 'on' : 'off'}` },
    walkRow('eip', (st.segs[1]!.base + st.eip) >>> 0),
    walkRow('esp', (st.segs[2]!.base + st.regs[4]!) >>> 0),
  ];
  if ((st.cr0 & CR0.PG) !== 0) {
    rows.push({
      name: 'page directory', value: 'present entries',
      children: () => {
        const out: VarNode[] = [];
        const base = (st.cr3 & 0xfffff000) >>> 0;
        for (let i = 0; i < 1024; i++) {
          const pde = cpu.memory.read32(base + 4 * i) >>> 0;
          if ((pde & 1) === 0) continue;
          out.push({ name: `${hex8(i << 22)}`, value: `${hex8(pde)} ${entryFlags(pde)}` });
        }
        return out;
      },
    });
  }
  return rows;
}
