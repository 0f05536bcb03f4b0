// The one interface every virtualization engine implements, and the context they share. An
// engine decides what the hardware does with the guest (ring, descriptor tables, which forms and
// events reach the VMM) and what the VMM does when they do; the Hypervisor wires it to the CPU.

import type { Cpu, CpuHooks, VirtualInterrupts } from '../cpu/cpu';
import type { Machine } from '../machine/machine';
import type { HypervisorType, Mode } from '../run/modes';
import type { CostSheet } from './costModel';
import type { VmmCounters } from './counters';
import type { HoleLog, VmmEventLog } from './events';
import type { VcpuView, VirtualCpu } from './vcpu';
import type { VmmArea } from './vmmArea';

/** What an engine is given: the machine it virtualizes and the VMM's shared state. */
export interface VmmContext {
  readonly cpu: Cpu;
  readonly machine: Machine;
  readonly type: HypervisorType;
  readonly vcpu: VirtualCpu;
  readonly area: VmmArea;
  readonly counters: VmmCounters;
  readonly events: VmmEventLog;
  readonly holes: HoleLog;
  /** Settings of the launch configuration an engine reads (the `hw` VMCS controls). */
  readonly settings: EngineSettings;
}

export interface EngineSettings {
  /** `hw`: the VMCS controls (DESIGN: hltExiting, cr3LoadExiting, ...). */
  readonly vmcs?: Readonly<Record<string, unknown>>;
}

export interface Engine {
  readonly mode: Mode;
  /** The CPU hooks this engine needs (events, intercepts, watched writes, TLB fills). */
  readonly hooks: CpuHooks;
  /** Forms sent to hooks.onIntercept before they execute, by form id (null: none). */
  readonly interceptForms: Uint8Array | null;
  /** Forms intercepted while the CPU runs at CPL 3, when fewer than interceptForms (bt lets
   *  user code's branches run directly); undefined: interceptForms at every CPL. */
  readonly userInterceptForms?: Uint8Array | null;
  /** Where external interrupts come from and when they may be taken (null: the PIC and IF). */
  readonly virtualInterrupts: VirtualInterrupts | null;
  /** Called once, with the CPU in the loader's entry state: set the guest up for this technique.
   *  Returns an error message when the launch configuration makes no sense. */
  start(): string | undefined;
  /** What the guest believes (DESIGN's `vcpu`). */
  view(): VcpuView;
  /** The run's simulated cost under this technique. */
  costSheet(instructions: number, ioAccesses: number): CostSheet;
}

/** How an engine is made (each engine file exports one). */
export type EngineFactory = (vmm: VmmContext) => Engine;
