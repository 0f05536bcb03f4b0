import * as assert from 'assert';
import { PhysicalMemory, QEMU_UNASSIGNED_MEMORY_BYTE } from '../../../core/machine/physicalMemory';

describe('machine: physical memory', () => {
  it('stores 8/16/32-bit values little-endian by physical address', () => {
    const memory = new PhysicalMemory(1);
    memory.write32(0x1000, 0x12345678);
    assert.strictEqual(memory.read8(0x1000), 0x78);
    assert.strictEqual(memory.read16(0x1002), 0x1234);
    memory.write16(0x2001, 0xbeef); // unaligned
    assert.strictEqual(memory.read32(0x2000), 0x00beef00);
    memory.write32(0x3000, -1);
    assert.strictEqual(memory.read32(0x3000), 0xffffffff);
  });

  it('defaults to 32 MiB-sized buffers as asked, zero-filled', () => {
    const memory = new PhysicalMemory(32);
    assert.strictEqual(memory.sizeBytes, 32 * 1024 * 1024);
    assert.strictEqual(memory.read32(memory.sizeBytes - 4), 0);
  });

  it('reads outside RAM return what qemu-system-i386 returns (0x00 bytes), without throwing', () => {
    const memory = new PhysicalMemory(1);
    assert.strictEqual(QEMU_UNASSIGNED_MEMORY_BYTE, 0x00);
    assert.strictEqual(memory.read8(0x100000), 0);
    assert.strictEqual(memory.read32(0x10000000), 0);
    assert.strictEqual(memory.read32(0xe0000000), 0);
    assert.strictEqual(memory.outsideReads, 3, 'counted once per access');
  });

  it('can be told to float high instead (0xFF bytes outside RAM)', () => {
    const memory = new PhysicalMemory(1, { unassignedByte: 0xff });
    assert.strictEqual(memory.read16(0xfffffffe), 0xffff);
    assert.strictEqual(memory.read32(0x200000), 0xffffffff);
  });

  it('drops writes outside RAM, counts them and never grows', () => {
    const memory = new PhysicalMemory(1);
    memory.write32(0x100000, 0x12345678);
    memory.write8(0xffffffff, 1);
    assert.strictEqual(memory.sizeBytes, 0x100000);
    assert.strictEqual(memory.bytes.length, 0x100000);
    assert.strictEqual(memory.outsideWrites, 2);
    assert.strictEqual(memory.firstOutsideWritePhysAddr, 0x100000);
    assert.strictEqual(memory.read32(0x100000), 0);
  });

  it('splits an access that straddles the end of RAM into bytes', () => {
    const memory = new PhysicalMemory(1, { unassignedByte: 0xff });
    memory.write32(0xffffe, 0xaabbccdd);
    assert.strictEqual(memory.read8(0xffffe), 0xdd);
    assert.strictEqual(memory.read8(0xfffff), 0xcc);
    assert.strictEqual(memory.outsideWrites, 1);
    assert.strictEqual(memory.read32(0xffffe), 0xffffccdd);
  });

  it('load and zero refuse ranges that do not fit, writing nothing', () => {
    const memory = new PhysicalMemory(1);
    assert.strictEqual(memory.load(0xffffe, new Uint8Array([1, 2, 3])), false);
    assert.strictEqual(memory.read8(0xffffe), 0);
    assert.strictEqual(memory.zero(0xfff00, 0x200), false);
    assert.strictEqual(memory.load(0x10, new Uint8Array([1, 2, 3])), true);
    assert.strictEqual(memory.read32(0x10), 0x030201);
  });
});
