// The hypervisor: one VMM around one guest machine. It owns what every engine shares (the
// virtual CPU, the VMM area, counters, the event log and holes), builds the engine for the mode,
// and wires it to the CPU's hooks. Hosts (core/run, the debugger, `compare`) talk to this class.

import type { Cpu } from '../cpu/cpu';
import type { Machine } from '../machine/machine';
import type { HypervisorType, Mode } from '../run/modes';
import { guestEventCount, type CostLine } from './costModel';
import { VmmCounters } from './counters';
import type { Engine, EngineFactory, EngineSettings, VmmContext } from './engine';
import { HoleLog, VmmEventLog, type Hole } from './events';
import { VirtualCpu, type VcpuView } from './vcpu';
import { VmmArea } from './vmmArea';

const factories = new Map<Mode, EngineFactory>();

/** Each engine file registers itself (see engines/index.ts). */
export function registerEngine(mode: Mode, factory: EngineFactory): void {
  factories.set(mode, factory);
}

export function engineAvailable(mode: Mode): boolean {
  return factories.has(mode);
}

export interface HypervisorOptions extends EngineSettings {
  readonly type?: HypervisorType;
}

export class Hypervisor implements VmmContext {
  readonly vcpu = new VirtualCpu();
  readonly counters = new VmmCounters();
  readonly events = new VmmEventLog();
  readonly holes = new HoleLog();
  readonly area: VmmArea;
  readonly engine: Engine;
  readonly type: HypervisorType;
  readonly settings: EngineSettings;

  private constructor(readonly cpu: Cpu, readonly machine: Machine, mode: Mode, options: HypervisorOptions) {
    this.type = options.type ?? 'type1';
    this.settings = options.vmcs === undefined ? {} : { vmcs: options.vmcs };
    this.area = new VmmArea(machine.memory);
    this.area.initialise();
    const factory = factories.get(mode);
    if (factory === undefined) throw new Error(`vmm: no engine for mode ${mode}`);
    this.engine = factory(this);
  }

  /** A VMM for `mode` on a machine whose CPU is in the loader's entry state, or why it cannot
   *  start (a launch configuration that makes no sense). */
  static attach(cpu: Cpu, machine: Machine, mode: Mode, options: HypervisorOptions = {}): Hypervisor | { error: string } {
    if (!factories.has(mode)) return { error: `mode ${mode} is not available in this build` };
    const vmm = new Hypervisor(cpu, machine, mode, options);
    const error = vmm.engine.start();
    if (error !== undefined) return { error };
    cpu.hooks = vmm.engine.hooks;
    cpu.interceptForms = vmm.engine.interceptForms;
    cpu.userInterceptForms = vmm.engine.userInterceptForms;
    cpu.virtualInterrupts = vmm.engine.virtualInterrupts;
    cpu.flushTlb(false);
    return vmm;
  }

  get mode(): Mode { return this.engine.mode; }

  view(): VcpuView { return this.engine.view(); }

  holeList(): Hole[] { return this.holes.list(); }

  /** Simulated cycles of the run so far, with the lines they come from. */
  cost(): { total: number; lines: CostLine[] } {
    const sheet = this.engine.costSheet(this.cpu.instructionsRetired, this.machine.io.accesses)
      .add('guestEvent', guestEventCount(this.cpu.eventsDelivered, this.counters));
    return { total: sheet.total(), lines: sheet.lines() };
  }
}
