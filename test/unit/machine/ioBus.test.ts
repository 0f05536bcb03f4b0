import * as assert from 'assert';
import { IoBus, type IoDevice, type IoWidthBytes } from '../../../core/machine/ioBus';

class RecordingDevice implements IoDevice {
  readonly log: string[] = [];
  ioRead(port: number, widthBytes: IoWidthBytes): number {
    this.log.push(`in${widthBytes * 8} ${port.toString(16)}`);
    return port & 0xff;
  }
  ioWrite(port: number, value: number, widthBytes: IoWidthBytes): void {
    this.log.push(`out${widthBytes * 8} ${port.toString(16)}=${value.toString(16)}`);
  }
}

describe('machine: I/O bus', () => {
  it('unclaimed ports read all-ones at every width, as on qemu-system-i386', () => {
    const bus = new IoBus();
    assert.strictEqual(bus.in8(0x100), 0xff);
    assert.strictEqual(bus.in16(0x100), 0xffff);
    assert.strictEqual(bus.in32(0x100), 0xffffffff);
  });

  it('unclaimed ports ignore writes', () => {
    const bus = new IoBus();
    bus.out32(0x100, 0x12345678);
    assert.strictEqual(bus.in32(0x100), 0xffffffff);
  });

  it('dispatches to the device claiming the port, with the access width', () => {
    const bus = new IoBus();
    const device = new RecordingDevice();
    bus.register(0xcf8, 8, device, 4);
    bus.out32(0xcf8, 0x80000000);
    assert.strictEqual(bus.in16(0xcfe), 0xfe);
    assert.deepStrictEqual(device.log, ['out32 cf8=80000000', 'in16 cfe']);
  });

  it('splits accesses wider than a byte-wide device into byte accesses, low port first', () => {
    const bus = new IoBus();
    const device = new RecordingDevice();
    bus.register(0x3f8, 8, device);
    assert.strictEqual(bus.in16(0x3f8), 0xf9f8);
    bus.out16(0x3f8, 0x4241);
    assert.deepStrictEqual(device.log, ['in8 3f8', 'in8 3f9', 'out8 3f8=41', 'out8 3f9=42']);
  });

  it('a split access that runs off a device reads all-ones for the unclaimed part', () => {
    const bus = new IoBus();
    bus.register(0x60, 1, new RecordingDevice());
    assert.strictEqual(bus.in16(0x60), 0xff60);
  });
});
