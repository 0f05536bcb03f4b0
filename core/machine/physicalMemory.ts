// Guest RAM: one ArrayBuffer addressed by physical address, little-endian, with QEMU's rules for
// accesses that fall outside RAM (reads give a fixed value, writes are dropped and counted).

/** Byte that an access outside RAM reads as. qemu-system-i386 7.2 (pc machine) was measured to
 *  return 0x00 for reads at RAM end, 256 MiB and 0xE0000000 (see test/unit/machine/fixtures/README.md). */
export const QEMU_UNASSIGNED_MEMORY_BYTE = 0x00;

export interface PhysicalMemoryOptions {
  /** Override the byte outside-RAM reads return (e.g. 0xFF for a bus that floats high). */
  unassignedByte?: number;
  /** Bytes above guest RAM that only a hypervisor uses (its descriptor tables, shared pages):
   *  addressable by the CPU, never reported to the guest as RAM. */
  reservedBytes?: number;
}

export class PhysicalMemory {
  /** Everything the CPU can address: guest RAM plus the hypervisor's reserved bytes. */
  readonly sizeBytes: number;
  /** Guest RAM, what the loader and firmware tables report; starts at physical 0. */
  readonly guestBytes: number;
  /** Direct view for the CPU's instruction fetch and bulk copies; index = physical address. */
  readonly bytes: Uint8Array;
  /** The same bytes as aligned little-endian 32-bit words (index = physical address / 4): the
   *  compiled code's fast path for aligned accesses (core/jit/operandCode.ts). */
  readonly words: Int32Array;
  private readonly view: DataView;
  private readonly unassignedByte: number;
  /** Counters that let a run report "guest wrote outside RAM" without throwing. */
  outsideReads = 0;
  outsideWrites = 0;
  /** First physical address written outside RAM, for the run report; -1 when none. */
  firstOutsideWritePhysAddr = -1;

  constructor(sizeMiB: number, options: PhysicalMemoryOptions = {}) {
    this.guestBytes = Math.max(0, Math.floor(sizeMiB * 1024 * 1024));
    this.sizeBytes = this.guestBytes + Math.max(0, Math.floor(options.reservedBytes ?? 0));
    const buffer = new ArrayBuffer(this.sizeBytes);
    this.bytes = new Uint8Array(buffer);
    this.view = new DataView(buffer);
    this.words = new Int32Array(buffer, 0, this.sizeBytes >>> 2);
    this.unassignedByte = (options.unassignedByte ?? QEMU_UNASSIGNED_MEMORY_BYTE) & 0xff;
  }

  read8(physAddr: number): number {
    if (physAddr >= 0 && physAddr < this.sizeBytes) return this.bytes[physAddr]!;
    this.outsideReads++;
    return this.unassignedByte;
  }

  read16(physAddr: number): number {
    if (physAddr >= 0 && physAddr + 2 <= this.sizeBytes) return this.view.getUint16(physAddr, true);
    return this.slowRead(physAddr, 2);
  }

  read32(physAddr: number): number {
    if (physAddr >= 0 && physAddr + 4 <= this.sizeBytes) return this.view.getUint32(physAddr, true);
    return this.slowRead(physAddr, 4);
  }

  write8(physAddr: number, value: number): void {
    if (physAddr >= 0 && physAddr < this.sizeBytes) this.bytes[physAddr] = value;
    else this.noteOutsideWrite(physAddr);
  }

  write16(physAddr: number, value: number): void {
    if (physAddr >= 0 && physAddr + 2 <= this.sizeBytes) this.view.setUint16(physAddr, value, true);
    else this.slowWrite(physAddr, value, 2);
  }

  write32(physAddr: number, value: number): void {
    if (physAddr >= 0 && physAddr + 4 <= this.sizeBytes) this.view.setUint32(physAddr, value >>> 0, true);
    else this.slowWrite(physAddr, value, 4);
  }

  /** True when [physAddr, physAddr + lengthBytes) lies wholly in RAM. */
  contains(physAddr: number, lengthBytes: number): boolean {
    return physAddr >= 0 && lengthBytes >= 0 && physAddr + lengthBytes <= this.sizeBytes;
  }

  /** Copies bytes into RAM (loader use); false, and nothing written, if they do not fit. */
  load(physAddr: number, data: Uint8Array): boolean {
    if (!this.contains(physAddr, data.length)) return false;
    this.bytes.set(data, physAddr);
    return true;
  }

  /** Zeroes a range (loader's bss); false, and nothing written, if it does not fit. */
  zero(physAddr: number, lengthBytes: number): boolean {
    if (!this.contains(physAddr, lengthBytes)) return false;
    this.bytes.fill(0, physAddr, physAddr + lengthBytes);
    return true;
  }

  // An access that straddles the end of RAM is split into bytes, each judged on its own, as a
  // bus splits an access that crosses regions; it counts as one outside access. Addresses wrap
  // at 4 GiB like the 32-bit bus.
  private slowRead(physAddr: number, widthBytes: number): number {
    let value = 0;
    for (let i = 0; i < widthBytes; i++) {
      const at = (physAddr + i) >>> 0;
      value += (at < this.sizeBytes ? this.bytes[at]! : this.unassignedByte) * 2 ** (8 * i);
    }
    this.outsideReads++;
    return value >>> 0;
  }

  private slowWrite(physAddr: number, value: number, widthBytes: number): void {
    for (let i = 0; i < widthBytes; i++) {
      const at = (physAddr + i) >>> 0;
      if (at < this.sizeBytes) this.bytes[at] = (value >>> (8 * i)) & 0xff;
    }
    this.noteOutsideWrite(physAddr);
  }

  private noteOutsideWrite(physAddr: number): void {
    if (this.outsideWrites === 0) this.firstOutsideWritePhysAddr = physAddr >>> 0;
    this.outsideWrites++;
  }
}
