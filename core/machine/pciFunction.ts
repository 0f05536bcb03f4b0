// One PCI function's 256-byte configuration space: read-only identity, guest-writable bits given
// by a mask, and base address registers that answer the all-ones sizing probe.

export interface PciBarSpec {
  /** BAR index 0-5 (config offset 0x10 + 4 * index). */
  index: number;
  kind: 'io' | 'memory';
  /** Power of two, at least 4 for I/O and 16 for memory. */
  sizeBytes: number;
  /** Address firmware assigned, as a BIOS would before the kernel starts. */
  assignedAddr: number;
}

export interface PciFunctionSpec {
  vendorId: number;
  deviceId: number;
  revision: number;
  /** class << 16 | subclass << 8 | programming interface. */
  classCode: number;
  headerType: number;
  command: number;
  status: number;
  subsystemVendorId?: number;
  subsystemId?: number;
  /** Bits of the command register a guest may change. */
  commandWritableMask: number;
  interruptPin?: number;
  interruptLine?: number;
  bars?: PciBarSpec[];
}

const OFFSET_COMMAND = 0x04;
const OFFSET_BAR0 = 0x10;
const OFFSET_SUBSYSTEM = 0x2c;
const OFFSET_INTERRUPT_LINE = 0x3c;
const OFFSET_LATENCY_TIMER = 0x0d;
const OFFSET_CACHE_LINE = 0x0c;

export class PciFunction {
  readonly config = new Uint8Array(256);
  private readonly writableMask = new Uint8Array(256);
  private readonly view = new DataView(this.config.buffer);

  constructor(readonly spec: PciFunctionSpec) {
    const view = this.view;
    view.setUint16(0x00, spec.vendorId, true);
    view.setUint16(0x02, spec.deviceId, true);
    view.setUint16(OFFSET_COMMAND, spec.command, true);
    view.setUint16(0x06, spec.status, true);
    view.setUint32(0x08, ((spec.classCode << 8) | spec.revision) >>> 0, true);
    this.config[0x0e] = spec.headerType;
    view.setUint16(OFFSET_SUBSYSTEM, spec.subsystemVendorId ?? 0, true);
    view.setUint16(OFFSET_SUBSYSTEM + 2, spec.subsystemId ?? 0, true);
    this.config[OFFSET_INTERRUPT_LINE] = spec.interruptLine ?? 0;
    this.config[OFFSET_INTERRUPT_LINE + 1] = spec.interruptPin ?? 0;
    this.writableMask[OFFSET_COMMAND] = spec.commandWritableMask & 0xff;
    this.writableMask[OFFSET_COMMAND + 1] = spec.commandWritableMask >> 8;
    this.writableMask[OFFSET_CACHE_LINE] = 0xff;
    this.writableMask[OFFSET_LATENCY_TIMER] = 0xff;
    if (spec.interruptPin) this.writableMask[OFFSET_INTERRUPT_LINE] = 0xff;
    for (const bar of spec.bars ?? []) this.installBar(bar);
  }

  read(offset: number, widthBytes: 1 | 2 | 4): number {
    if (offset + widthBytes > 256) {
      // A misaligned access through 0xCFD-0xCFF runs off register 0xFC: wrap within the space.
      let value = 0;
      for (let i = 0; i < widthBytes; i++) value += this.config[(offset + i) & 0xff]! * 2 ** (8 * i);
      return value;
    }
    if (widthBytes === 1) return this.config[offset]!;
    if (widthBytes === 2) return this.view.getUint16(offset, true);
    return this.view.getUint32(offset, true);
  }

  write(offset: number, value: number, widthBytes: 1 | 2 | 4): void {
    for (let i = 0; i < widthBytes; i++) {
      const at = (offset + i) & 0xff;
      const mask = this.writableMask[at]!;
      this.config[at] = (this.config[at]! & ~mask) | ((value >>> (8 * i)) & mask);
    }
  }

  // A BAR's low bits are read-only: the size alignment reads as zero and the type bits stay, so
  // writing 0xFFFFFFFF reads back ~(size - 1) | type, which is how a guest sizes the region.
  private installBar(bar: PciBarSpec): void {
    const offset = OFFSET_BAR0 + 4 * bar.index;
    const typeBits = bar.kind === 'io' ? 0x1 : 0x0; // memory: 32-bit, not prefetchable
    const addressMask = ~(bar.sizeBytes - 1) >>> 0; // 32-bit decode for I/O too, as QEMU's BARs
    this.view.setUint32(offset, ((bar.assignedAddr & addressMask) | typeBits) >>> 0, true);
    for (let i = 0; i < 4; i++) this.writableMask[offset + i] = (addressMask >>> (8 * i)) & 0xff;
  }
}
