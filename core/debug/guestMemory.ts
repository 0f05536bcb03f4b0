// Guest memory as the debugger sees it: by linear address through the guest's page tables, read
// and written without faults or side effects on the run (a write drops decoded instructions it
// overlaps, as a guest store would). Unmapped or outside-RAM bytes read as unavailable.

import type { Cpu } from '../cpu/cpu';
import { walkLinear } from './pageWalk';

export interface MemoryRead {
  /** Bytes read from the start; shorter than asked when a page is unmapped or outside RAM. */
  readonly bytes: Uint8Array;
  /** Bytes that could not be read after `bytes` (the rest of the request). */
  readonly unreadable: number;
}

export class GuestMemory {
  constructor(private readonly cpu: Cpu) {}

  /** Physical address of a linear one, or null when it is not mapped or not in RAM. */
  physical(linAddr: number): number | null {
    const phys = walkLinear(this.cpu, linAddr).physAddr;
    return phys !== null && this.cpu.memory.contains(phys, 1) ? phys : null;
  }

  read(linAddr: number, count: number): MemoryRead {
    const out: number[] = [];
    let lin = linAddr >>> 0;
    while (out.length < count) {
      const phys = this.physical(lin);
      if (phys === null) break;
      const inPage = Math.min(count - out.length, 4096 - (lin & 0xfff));
      for (let i = 0; i < inPage; i++) out.push(this.cpu.memory.read8(phys + i));
      lin = (lin + inPage) >>> 0;
    }
    return { bytes: Uint8Array.from(out), unreadable: count - out.length };
  }

  /** Reads `size` bytes (1, 2 or 4) little-endian, or null when unreadable. */
  readValue(linAddr: number, size: 1 | 2 | 4): number | null {
    const r = this.read(linAddr, size);
    if (r.unreadable > 0) return null;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + r.bytes[i]!;
    return v >>> 0;
  }

  /** Writes bytes; returns how many were written (stops at an unmapped page). */
  write(linAddr: number, bytes: Uint8Array): number {
    let done = 0;
    let lin = linAddr >>> 0;
    while (done < bytes.length) {
      const phys = this.physical(lin);
      if (phys === null) break;
      this.cpu.memory.write8(phys, bytes[done]!);
      this.cpu.decodeCache.invalidateWrite(phys);
      done++;
      lin = (lin + 1) >>> 0;
    }
    return done;
  }

  writeValue(linAddr: number, size: 1 | 2 | 4, value: number): boolean {
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (value >>> (8 * i)) & 0xff;
    return this.write(linAddr, bytes) === size;
  }
}
