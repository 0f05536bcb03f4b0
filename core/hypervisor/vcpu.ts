// The virtual CPU: what the guest kernel believes about the processor while a VMM runs it
// somewhere else (ring 1, or non-root ring 0). Every engine keeps its guest's view here, so
// reports, the debugger and `compare` read one shape whatever the technique.

import { SegmentCache, type TableRegister } from '../cpu/cpuState';

export class VirtualCpu {
  /** The privilege level the guest believes it runs at (0 kernel, 3 user). */
  vcpl = 0;
  /** The virtual interrupt flag (the lecture's VIF): the guest's IF. */
  vif = false;
  /** The guest's IOPL (the hardware keeps 0 under a deprivileging VMM so I/O traps). */
  viopl = 0;
  /** The guest's CR0 (the hardware's may differ: the VMM keeps TS set for lazy FPU switching). */
  vcr0 = 0;
  /** The guest's descriptor-table registers and task register (the hardware holds the VMM's). */
  readonly gdtr: TableRegister = { base: 0, limit: 0xffff };
  readonly idtr: TableRegister = { base: 0, limit: 0xffff };
  readonly tr = new SegmentCache();
}

/** The guest's view and the hardware's, side by side (DESIGN's `vcpu` report field and more). */
export interface VcpuView {
  vcpl: number;
  vif: boolean;
  vcr3: number;
}
