// Data breakpoints: a write to watched guest memory (through the CPU's watched pages, with the
// debugger's own bit so the VMM's write protection is untouched) or a load of CR3. Each stops
// the run once the writing instruction has completed.

import type { Cpu } from '../cpu/cpu';
import { WATCH } from '../hypervisor/watchBits';
import type { StopInfo } from './debugRun';
import type { GuestMemory } from './guestMemory';

export interface DataBreakpointRequest { readonly dataId: string }

interface MemoryWatch { readonly dataId: string; readonly lin: number; readonly size: number; readonly phys: number }

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** The data id of `size` bytes at linear `addr` (what dataBreakpointInfo answers). */
export function memoryDataId(addr: number, size: number): string {
  return `mem:${hex(addr)}:${size}`;
}
export const CR3_DATA_ID = 'cr3';

export class DataWatch {
  private watches: MemoryWatch[] = [];
  private cr3 = false;
  private notify: ((stop: StopInfo) => void) | null = null;

  constructor(private readonly cpu: Cpu, private readonly memory: GuestMemory) {}

  /** Hooks CR3 loads (on this CPU instance only: nothing is added to the interpreter). */
  attach(notify: (stop: StopInfo) => void): void {
    this.notify = notify;
    const cpu = this.cpu;
    const load = cpu.writeCr3.bind(cpu);
    cpu.writeCr3 = (value: number): void => {
      const old = cpu.state.cr3 >>> 0;
      load(value);
      if (this.cr3) {
        const description = `CR3 loaded: ${hex(old)} -> ${hex(value)}`;
        this.notify?.({ reason: 'data breakpoint', description, text: description });
      }
    };
  }

  set(requests: readonly DataBreakpointRequest[]): { verified: boolean; message?: string }[] {
    for (const w of this.watches) this.cpu.unwatchPage(w.phys >>> 12, WATCH.DEBUGGER);
    this.watches = [];
    this.cr3 = false;
    const out = requests.map((r) => {
      if (r.dataId === CR3_DATA_ID) { this.cr3 = true; return { verified: true }; }
      const m = /^mem:0x([0-9a-f]+):([124])$/.exec(r.dataId);
      if (m === null) return { verified: false, message: `unknown data id '${r.dataId}'` };
      const lin = parseInt(m[1]!, 16) >>> 0;
      const size = Number(m[2]);
      const phys = this.memory.physical(lin);
      if (phys === null) return { verified: false, message: `${hex(lin)} is not mapped to guest RAM now` };
      this.watches.push({ dataId: r.dataId, lin, size, phys });
      return { verified: true };
    });
    // Re-watch every page (a page may hold several watches; unwatch above cleared them all).
    for (const w of this.watches) {
      this.cpu.watchPage(w.phys >>> 12, WATCH.DEBUGGER);
      if (((w.phys + w.size - 1) >>> 12) !== (w.phys >>> 12)) this.cpu.watchPage((w.phys + w.size - 1) >>> 12, WATCH.DEBUGGER);
    }
    return out;
  }

  /**
   * A write of up to 4 bytes at `phys` is about to land (its width is not known here): the stop
   * if it starts inside a watch; for one that starts just before, the stop and a check to make
   * once the instruction has completed (did the watched bytes change?).
   */
  onWrite(phys: number): { stop: StopInfo; verify?: () => boolean } | null {
    for (const w of this.watches) {
      if (phys + 3 < w.phys || phys >= w.phys + w.size) continue;
      const description = `Data breakpoint: write to ${w.size === 1 ? 'byte' : w.size === 2 ? 'word' : 'dword'} [${hex(w.lin)}]`;
      const stop: StopInfo = { reason: 'data breakpoint', description, text: description };
      if (phys >= w.phys) return { stop };
      const before = this.bytesAt(w.phys, w.size);
      return { stop, verify: () => this.bytesAt(w.phys, w.size) !== before };
    }
    return null;
  }

  private bytesAt(phys: number, size: number): string {
    let s = '';
    for (let i = 0; i < size; i++) s += String.fromCharCode(this.cpu.memory.read8(phys + i));
    return s;
  }
}
