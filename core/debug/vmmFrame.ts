// The VMM frame: when a step enters the hypervisor (a trap, a VM exit, a hypercall or a bt
// call-out), the debugger shows what the VMM did for that instruction as a generated, read-only
// listing (entry, decode, check, update the virtual CPU, shadow page table, resume), built from
// the VMM's event and the state before and after. Stepping walks it line by line.

import type { Cpu } from '../cpu/cpu';
import type { Hypervisor, VmmEvent } from '../hypervisor';
import { EXIT_REASON_NAMES } from '../hypervisor';
import { REG32_NAMES, guestView } from './registers';

/** The events that put a VMM frame on the stack. */
export const VMM_ENTRY_KINDS: ReadonlySet<string> = new Set(['trap', 'exit', 'hypercall', 'callout']);

export interface CpuSnapshot {
  readonly regs: readonly number[];
  readonly eip: number;
  readonly eflags: number;
  readonly cpl: number;
  readonly cr0: number;
  readonly cr3: number;
  readonly vcpl: number;
  readonly vif: boolean;
  readonly vcr3: number;
  readonly counters: Readonly<Record<string, number>>;
}

export function snapshot(cpu: Cpu, vmm: Hypervisor | null): CpuSnapshot {
  const view = guestView(cpu, vmm);
  const counters: Record<string, number> = {};
  if (vmm !== null) for (const [k, v] of Object.entries(vmm.counters)) if (typeof v === 'number') counters[k] = v;
  return {
    regs: Array.from(cpu.state.regs, (r) => r >>> 0), eip: cpu.state.eip >>> 0, eflags: cpu.getEflags(), cpl: cpu.state.cpl,
    cr0: cpu.state.cr0 >>> 0, cr3: cpu.state.cr3 >>> 0, vcpl: view.vcpl, vif: view.vif, vcr3: view.vcr3, counters,
  };
}

export interface VmmFrame {
  /** The event that entered the VMM. */
  readonly event: VmmEvent;
  /** Every VMM event of the step, in order. */
  readonly events: readonly VmmEvent[];
  readonly title: string;
  /** The listing, one action per line (what the source view shows). */
  readonly lines: readonly string[];
  /** The 0-based line the frame is stopped at. */
  line: number;
  /** The generated source's name, e.g. `vmm-trap-0x00100123.vmm`. */
  readonly name: string;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const HEADER_LINES = 2;

/** The listing for one VMM entry; `translation` adds bt's translated code when the engine has it. */
export function buildVmmFrame(events: readonly VmmEvent[], before: CpuSnapshot, after: CpuSnapshot, vmm: Hypervisor, translation?: readonly string[]): VmmFrame {
  const event = events.find((e) => VMM_ENTRY_KINDS.has(e.kind))!;
  const insn = event.instruction ?? '(no instruction)';
  const lines: string[] = [];
  const add = (label: string, text: string): void => { lines.push(`${(label + ':').padEnd(12)} ${text}`); };
  const type2 = vmm.type === 'type2';
  switch (event.kind) {
    case 'trap':
      add('entry', `#GP(0) at hardware CPL ${before.cpl}: the CPU enters the VMM${type2 ? ' (type 2: a world switch through the host OS first)' : ''}`);
      add('decode', `${hex(event.eip)}  ${insn}`);
      add('check', `the guest believes CPL ${before.vcpl}: ${before.vcpl === 0 ? 'a kernel may do this, so the VMM emulates it' : 'a user program may not: the #GP goes to the guest'}`);
      break;
    case 'exit': {
      const name = event.reason !== undefined ? EXIT_REASON_NAMES[event.reason] ?? `REASON_${event.reason}` : 'unknown';
      add('vm_exit', `basic exit reason ${event.reason ?? '?'} ${name}, qualification ${hex(event.qualification ?? 0)}${type2 ? ' (type 2: to the host OS, then the VMM)' : ''}`);
      add('decode', `${hex(event.eip)}  ${insn}`);
      add('check', 'the VMCS controls made this exit: the VMM handles it in root mode ("ring -1")');
      const vmcs = (vmm.engine as unknown as { vmcs?: { fields(): { name: string; value: number; group: string }[] } }).vmcs;
      const exitInfo = vmcs?.fields().filter((f) => f.group === 'exit-info') ?? [];
      if (exitInfo.length > 0) add('vmcs', exitInfo.map((f) => `${f.name}=${hex(f.value)}`).join(', '));
      break;
    }
    case 'hypercall':
      add('hypercall', `int 0x82 from guest ${hex(event.eip)}: EAX=${before.regs[0]} (${hex(before.regs[0]!)}), EBX=${hex(before.regs[3]!)} ECX=${hex(before.regs[1]!)} EDX=${hex(before.regs[2]!)} ESI=${hex(before.regs[6]!)} EDI=${hex(before.regs[7]!)}`);
      add('check', 'the VMM validates the number and every argument the guest hands in');
      break;
    default:
      add('callout', `the translation cache calls into the VMM for ${hex(event.eip)}  ${insn}`);
      add('decode', `${hex(event.eip)}  ${insn}`);
      break;
  }
  for (const t of translation ?? []) add('translated', t);
  add('handle', event.detail);
  for (const e of events) if (e !== event) add(e.kind, e.detail);
  const changes = vcpuChanges(before, after);
  add('update', changes.length > 0 ? changes.join(', ') : 'nothing in the virtual CPU or registers changed');
  add('shadow', shadowLine(before, after));
  const counted = counterChanges(before, after);
  if (counted.length > 0) add('count', counted.join(', '));
  add('resume', `${event.kind === 'exit' ? 'VM entry' : 'return'} to the guest at ${hex(after.eip)} (hardware CPL ${after.cpl}, guest CPL ${after.vcpl})`);
  const title = `VMM: ${event.kind} at ${hex(event.eip)} ${insn}`;
  const header = [`; ${title}`, `; generated by RingLab (read-only): what the ${vmm.mode} VMM did for this instruction`];
  return { event, events, title, lines: [...header, ...lines], line: HEADER_LINES, name: `vmm-${event.kind}-${hex(event.eip)}.vmm` };
}

/** Moves to the next action; false once past the last (the step returns to the guest). */
export function advanceVmmFrame(frame: VmmFrame): boolean {
  frame.line++;
  return frame.line < frame.lines.length;
}

function vcpuChanges(b: CpuSnapshot, a: CpuSnapshot): string[] {
  const out: string[] = [];
  REG32_NAMES.forEach((name, i) => { if (b.regs[i] !== a.regs[i]) out.push(`${name} ${hex(b.regs[i]!)} -> ${hex(a.regs[i]!)}`); });
  if (b.vcpl !== a.vcpl) out.push(`virtual CPL ${b.vcpl} -> ${a.vcpl}`);
  if (b.vif !== a.vif) out.push(`VIF ${b.vif ? 1 : 0} -> ${a.vif ? 1 : 0}`);
  if (b.vcr3 !== a.vcr3) out.push(`guest CR3 ${hex(b.vcr3)} -> ${hex(a.vcr3)}`);
  if (b.cr0 !== a.cr0) out.push(`CR0 ${hex(b.cr0)} -> ${hex(a.cr0)}`);
  if (b.eflags !== a.eflags) out.push(`EFLAGS ${hex(b.eflags)} -> ${hex(a.eflags)}`);
  return out;
}

function shadowLine(b: CpuSnapshot, a: CpuSnapshot): string {
  const updates = (a.counters['shadowUpdates'] ?? 0) - (b.counters['shadowUpdates'] ?? 0);
  const fills = (a.counters['hiddenPageFaults'] ?? 0) - (b.counters['hiddenPageFaults'] ?? 0);
  if (b.cr3 !== a.cr3) return `new address space: the shadow page table follows CR3 ${hex(b.cr3)} -> ${hex(a.cr3)} (the TLB is flushed)`;
  if (updates > 0 || fills > 0) return `${updates} shadow page-table update(s), ${fills} hidden page fault(s) filled`;
  return 'no page-table change: the shadow page table stays as it is';
}

function counterChanges(b: CpuSnapshot, a: CpuSnapshot): string[] {
  return Object.keys(a.counters).filter((k) => a.counters[k] !== b.counters[k]).map((k) => `${k} +${(a.counters[k] ?? 0) - (b.counters[k] ?? 0)}`);
}
