// Port-mapped I/O: dispatches IN/OUT of 8, 16 and 32 bits to the device that claims each port.
// Unclaimed ports read all-ones and ignore writes, as measured on qemu-system-i386.

export type IoWidthBytes = 1 | 2 | 4;

/** A device as the bus sees it: ports are absolute, values are zero-extended to the width. */
export interface IoDevice {
  ioRead(port: number, widthBytes: IoWidthBytes): number;
  ioWrite(port: number, value: number, widthBytes: IoWidthBytes): void;
}

/** What the CPU needs for IN, OUT, INS and OUTS. */
export interface PortIo {
  in8(port: number): number;
  in16(port: number): number;
  in32(port: number): number;
  out8(port: number, value: number): void;
  out16(port: number, value: number): void;
  out32(port: number, value: number): void;
}

const PORT_COUNT = 0x10000;

export class IoBus implements PortIo {
  private readonly devices: (IoDevice | undefined)[] = new Array(PORT_COUNT).fill(undefined);
  // Widest access a port's device takes whole; wider ones are split into bytes, as QEMU does
  // for devices whose register file is byte-wide (an `in ax, dx` on the UART reads two registers).
  private readonly maxWidthBytes = new Uint8Array(PORT_COUNT);

  /** Claims ports [firstPort, firstPort + count); a later claim on the same port wins. */
  register(firstPort: number, count: number, device: IoDevice, maxWidthBytes: IoWidthBytes = 1): void {
    for (let port = firstPort; port < firstPort + count && port < PORT_COUNT; port++) {
      this.devices[port] = device;
      this.maxWidthBytes[port] = maxWidthBytes;
    }
  }

  read(port: number, widthBytes: IoWidthBytes): number {
    port &= 0xffff;
    const device = this.devices[port];
    if (device !== undefined && this.maxWidthBytes[port]! >= widthBytes) {
      return device.ioRead(port, widthBytes) >>> 0;
    }
    if (widthBytes === 1) return 0xff;
    let value = 0;
    for (let i = 0; i < widthBytes; i++) value += this.read((port + i) & 0xffff, 1) * 2 ** (8 * i);
    return value >>> 0;
  }

  write(port: number, value: number, widthBytes: IoWidthBytes): void {
    port &= 0xffff;
    const device = this.devices[port];
    if (device !== undefined && this.maxWidthBytes[port]! >= widthBytes) {
      device.ioWrite(port, mask(value, widthBytes), widthBytes);
      return;
    }
    if (widthBytes === 1) return;
    for (let i = 0; i < widthBytes; i++) this.write((port + i) & 0xffff, (value >>> (8 * i)) & 0xff, 1);
  }

  /** Port accesses so far (each element of a string instruction counts): the cost model's device accesses. */
  accesses = 0;

  in8(port: number): number { this.accesses++; return this.read(port, 1); }
  in16(port: number): number { this.accesses++; return this.read(port, 2); }
  in32(port: number): number { this.accesses++; return this.read(port, 4); }
  out8(port: number, value: number): void { this.accesses++; this.write(port, value, 1); }
  out16(port: number, value: number): void { this.accesses++; this.write(port, value, 2); }
  out32(port: number, value: number): void { this.accesses++; this.write(port, value, 4); }
}

function mask(value: number, widthBytes: IoWidthBytes): number {
  return widthBytes === 4 ? value >>> 0 : value & (widthBytes === 2 ? 0xffff : 0xff);
}
