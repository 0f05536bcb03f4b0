// Power-on for a multiboot kernel: a machine, a CPU in the loader's entry state (32-bit protected
// mode, CPL 0, flat segments, paging off, IF = 0), and "run to a stop reason" for the CLI and tests.

import { Machine, type MachineOptions } from '../machine/machine';
import { loadKernel, type EntryState, type LoadError, type LoadOptions } from '../machine/multibootLoader';
import { Cpu, type CpuStop } from './cpu';
import { CR0 } from './cpuState';

/** Puts the CPU in the entry state a multiboot loader leaves (flat 4 GiB segments, ring 0). */
export function applyEntryState(cpu: Cpu, entry: EntryState): void {
  const st = cpu.state;
  const r = st.regs;
  r[0] = entry.eax; r[1] = entry.ecx; r[2] = entry.edx; r[3] = entry.ebx;
  r[4] = entry.esp; r[5] = entry.ebp; r[6] = entry.esi; r[7] = entry.edi;
  st.eip = entry.eip >>> 0;
  cpu.setEflags(entry.eflags, 0xffff_ffff);
  st.cr0 = CR0.PE | CR0.ET;
  st.cr2 = 0; st.cr3 = 0; st.cr4 = 0;
  st.segs.forEach((s, i) => {
    const code = i === 1;
    s.selector = code ? entry.cs : entry.ds;
    s.base = 0;
    s.limit = 0xffff_ffff;
    s.type = code ? 0xb : 0x3; // execute/read code, read/write data, accessed
    s.s = true; s.dpl = 0; s.present = true; s.db = true; s.usable = true;
  });
  st.halted = false;
  cpu.segmentsChanged();
  cpu.flushTlb(false);
}

export interface BootResult { machine: Machine; cpu: Cpu }

/** Builds a machine, loads `file` as `qemu-system-i386 -kernel` would, and returns it ready to run. */
export function bootKernel(file: Uint8Array, options: MachineOptions & LoadOptions = {}): BootResult | LoadError {
  const machine = new Machine(options);
  const loaded = loadKernel(machine.memory, file, options);
  if (!loaded.ok) return loaded.error;
  const cpu = new Cpu(machine);
  applyEntryState(cpu, loaded.image.entry);
  return { machine, cpu };
}

/** Boots and runs to a stop reason (DESIGN: exit, halt, max-instructions, triple-fault). */
export function runKernel(file: Uint8Array, maxInstructions: number, options: MachineOptions & LoadOptions = {}):
  ({ stop: CpuStop } & BootResult) | { error: LoadError } {
  const booted = bootKernel(file, options);
  if (!('cpu' in booted)) return { error: booted };
  return { ...booted, stop: booted.cpu.run(maxInstructions) };
}
