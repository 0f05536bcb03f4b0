import * as assert from 'assert';
import { Machine } from '../../../core/machine/machine';

function readCmos(machine: Machine, index: number): number {
  machine.io.out8(0x70, index);
  return machine.io.in8(0x71);
}

describe('machine: CMOS/RTC', () => {
  it('status registers A-D read as on qemu-system-i386 (0x26, 0x02, 0x00, 0x80)', () => {
    const machine = new Machine({ memoryMiB: 2 });
    assert.deepStrictEqual([0x0a, 0x0b, 0x0c, 0x0d].map((r) => readCmos(machine, r)), [0x26, 0x02, 0x00, 0x80]);
  });

  it('every run starts at 2024-01-01 00:00:00, a Monday, in BCD', () => {
    const machine = new Machine({ memoryMiB: 2 });
    const regs = [0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09, 0x32].map((r) => readCmos(machine, r));
    assert.deepStrictEqual(regs, [0x00, 0x00, 0x00, 0x02, 0x01, 0x01, 0x24, 0x20]);
  });

  it('the clock advances with virtual time only', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.tick(3_661_000_000_000); // one instruction is 1 ns: 1 h 1 min 1 s
    assert.deepStrictEqual([0x04, 0x02, 0x00].map((r) => readCmos(machine, r)), [0x01, 0x01, 0x01]);
  });

  it('register B selects binary and 12-hour formats', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.tick(13 * 3600 * 1e9 + 5e9); // 13:00:05
    machine.io.out8(0x70, 0x0b);
    machine.io.out8(0x71, 0x04); // binary, 12-hour
    assert.strictEqual(readCmos(machine, 0x00), 5);
    assert.strictEqual(readCmos(machine, 0x04), 0x81); // 1 PM
  });

  it('UIP (register A bit 7) is set in the last 244 us before a second ends', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.tick(1e9 - 300_000);
    assert.strictEqual(readCmos(machine, 0x0a) & 0x80, 0);
    machine.tick(100_000);
    assert.strictEqual(readCmos(machine, 0x0a) & 0x80, 0x80);
  });

  it('bit 7 of the index write disables NMI and does not change the register selected', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(0x70, 0x8d);
    assert.strictEqual(machine.cmos.nmiDisabled, true);
    assert.strictEqual(machine.io.in8(0x71), 0x80);
    machine.io.out8(0x70, 0x0d);
    assert.strictEqual(machine.cmos.nmiDisabled, false);
  });

  it('reading the index port gives 0xFF, as on qemu-system-i386', () => {
    assert.strictEqual(new Machine({ memoryMiB: 2 }).io.in8(0x70), 0xff);
  });

  it('holds the memory sizes a BIOS stores (640 KiB base, extended KiB, 64 KiB blocks over 16 MiB)', () => {
    const machine = new Machine({ memoryMiB: 32 });
    assert.strictEqual(readCmos(machine, 0x15) | (readCmos(machine, 0x16) << 8), 640);
    assert.strictEqual(readCmos(machine, 0x17) | (readCmos(machine, 0x18) << 8), 31 * 1024);
    assert.strictEqual(readCmos(machine, 0x34) | (readCmos(machine, 0x35) << 8), 256);
  });

  it('general CMOS RAM bytes keep what the guest writes', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(0x70, 0x40);
    machine.io.out8(0x71, 0x99);
    assert.strictEqual(readCmos(machine, 0x40), 0x99);
  });
});
