// PCI configuration mechanism #1: CONFIG_ADDRESS at 0xCF8 (32-bit) selects bus, device, function
// and register; CONFIG_DATA at 0xCFC-0xCFF reads and writes it. Absent functions read all-ones.

import type { IoDevice, IoWidthBytes } from './ioBus';
import { PciFunction, type PciFunctionSpec } from './pciFunction';

export const PCI_CONFIG_ADDRESS_PORT = 0xcf8;
export const PCI_CONFIG_DATA_PORT = 0xcfc;
const ENABLE_BIT = 0x80000000;

export class PciConfigSpace implements IoDevice {
  /** Functions by (bus << 8 | device << 3 | function). */
  private readonly functions = new Map<number, PciFunction>();
  private address = 0;

  attach(bus: number, device: number, fn: number, spec: PciFunctionSpec): PciFunction {
    const pciFunction = new PciFunction(spec);
    this.functions.set((bus << 8) | (device << 3) | fn, pciFunction);
    return pciFunction;
  }

  ioRead(port: number, widthBytes: IoWidthBytes): number {
    if (port < PCI_CONFIG_DATA_PORT) {
      // Only a 32-bit access reaches CONFIG_ADDRESS; narrower ones hit nothing (QEMU, i440FX).
      return widthBytes === 4 && port === PCI_CONFIG_ADDRESS_PORT ? this.address : ones(widthBytes);
    }
    const target = this.selected();
    if (target === undefined) return ones(widthBytes);
    const offset = (this.address & 0xfc) | (port & 3);
    return target.read(offset, widthBytes);
  }

  ioWrite(port: number, value: number, widthBytes: IoWidthBytes): void {
    if (port < PCI_CONFIG_DATA_PORT) {
      if (widthBytes === 4 && port === PCI_CONFIG_ADDRESS_PORT) this.address = value >>> 0; // kept whole, as QEMU reads it back
      return;
    }
    const target = this.selected();
    if (target === undefined) return;
    target.write((this.address & 0xfc) | (port & 3), value, widthBytes);
  }

  private selected(): PciFunction | undefined {
    if (!(this.address & ENABLE_BIT)) return undefined;
    return this.functions.get((this.address >>> 8) & 0xffff);
  }
}

function ones(widthBytes: IoWidthBytes): number {
  return widthBytes === 4 ? 0xffffffff : widthBytes === 2 ? 0xffff : 0xff;
}
