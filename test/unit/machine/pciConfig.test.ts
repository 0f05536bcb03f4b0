import * as assert from 'assert';
import { Machine } from '../../../core/machine/machine';

function configRead32(machine: Machine, bus: number, device: number, fn: number, offset: number): number {
  machine.io.out32(0xcf8, (0x80000000 | (bus << 16) | (device << 11) | (fn << 8) | offset) >>> 0);
  return machine.io.in32(0xcfc);
}

function configWrite32(machine: Machine, device: number, offset: number, value: number): void {
  machine.io.out32(0xcf8, (0x80000000 | (device << 11) | offset) >>> 0);
  machine.io.out32(0xcfc, value);
}

describe('machine: PCI configuration mechanism #1', () => {
  it('a guest enumeration loop over bus 0 finds exactly the 440BX and the 21140', () => {
    const machine = new Machine({ memoryMiB: 2 });
    const found: string[] = [];
    for (let device = 0; device < 32; device++) {
      for (let fn = 0; fn < 8; fn++) {
        const ids = configRead32(machine, 0, device, fn, 0x00);
        if ((ids & 0xffff) === 0xffff) {
          if (fn === 0) break;
          continue;
        }
        const classReg = configRead32(machine, 0, device, fn, 0x08);
        found.push(`${device}.${fn} ${hex(ids & 0xffff, 4)}:${hex(ids >>> 16, 4)} class ${hex(classReg >>> 8, 6)}`);
        const headerType = (configRead32(machine, 0, device, fn, 0x0c) >>> 16) & 0xff;
        if (fn === 0 && !(headerType & 0x80)) break; // single-function device
      }
    }
    assert.deepStrictEqual(found, ['0.0 8086:7190 class 060000', '3.0 1011:0009 class 020000']);
  });

  it('absent functions, other buses and a disabled CONFIG_ADDRESS read all-ones, as on qemu-system-i386', () => {
    const machine = new Machine({ memoryMiB: 2 });
    assert.strictEqual(configRead32(machine, 0, 0x1f, 0, 0), 0xffffffff);
    assert.strictEqual(configRead32(machine, 0, 3, 1, 0), 0xffffffff);
    assert.strictEqual(configRead32(machine, 1, 0, 0, 0), 0xffffffff);
    machine.io.out32(0xcf8, 0x00000000); // enable bit clear
    assert.strictEqual(machine.io.in32(0xcfc), 0xffffffff);
  });

  it('CONFIG_ADDRESS reads back what a 32-bit write stored, as on qemu-system-i386', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out32(0xcf8, 0x8000f800);
    assert.strictEqual(machine.io.in32(0xcf8), 0x8000f800);
  });

  it('byte and word reads of 0xCFC-0xCFF select bytes of the dword register', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out32(0xcf8, 0x80001800); // 00:03.0, register 0
    assert.strictEqual(machine.io.in16(0xcfc), 0x1011);
    assert.strictEqual(machine.io.in16(0xcfe), 0x0009);
    assert.strictEqual(machine.io.in8(0xcfd), 0x10);
    machine.io.out32(0xcf8, 0x80001808); // class/revision
    assert.strictEqual(machine.io.in8(0xcff), 0x02);
  });

  it('the NIC I/O BAR sizes to 128 bytes when 0xFFFFFFFF is written, then takes an address', () => {
    const machine = new Machine({ memoryMiB: 2 });
    const original = configRead32(machine, 0, 3, 0, 0x10);
    assert.strictEqual(original & 1, 1, 'I/O space indicator');
    configWrite32(machine, 3, 0x10, 0xffffffff);
    const sized = configRead32(machine, 0, 3, 0, 0x10);
    assert.strictEqual(sized, 0xffffff81);
    assert.strictEqual((~(sized & ~0x3) >>> 0) + 1, 128);
    configWrite32(machine, 3, 0x10, 0xd000);
    assert.strictEqual(configRead32(machine, 0, 3, 0, 0x10), 0xd001);
  });

  it('the NIC memory BAR sizes to 128 bytes', () => {
    const machine = new Machine({ memoryMiB: 2 });
    configWrite32(machine, 3, 0x14, 0xffffffff);
    const sized = configRead32(machine, 0, 3, 0, 0x14);
    assert.strictEqual(sized, 0xffffff80);
    assert.strictEqual(((~sized) >>> 0) + 1, 128);
  });

  it('unimplemented BARs read 0 after sizing, and identity registers ignore writes', () => {
    const machine = new Machine({ memoryMiB: 2 });
    configWrite32(machine, 3, 0x18, 0xffffffff);
    assert.strictEqual(configRead32(machine, 0, 3, 0, 0x18), 0);
    configWrite32(machine, 0, 0x00, 0x12345678);
    assert.strictEqual(configRead32(machine, 0, 0, 0, 0x00), 0x71908086);
  });

  it('a misaligned dword through 0xCFD never faults the host', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out32(0xcf8, 0x800018fc);
    assert.strictEqual(typeof machine.io.in32(0xcfd), 'number');
    machine.io.out32(0xcfd, 0xffffffff);
  });

  it('the NIC has INTA# and a writable interrupt line', () => {
    const machine = new Machine({ memoryMiB: 2 });
    configWrite32(machine, 3, 0x3c, 0x0000010a);
    assert.strictEqual(configRead32(machine, 0, 3, 0, 0x3c) & 0xffff, 0x010a);
  });
});

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}
