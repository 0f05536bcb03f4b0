import * as assert from 'assert';
import { Machine } from '../../../core/machine/machine';

describe('machine: isa-debug-exit at 0xF4', () => {
  it('writing v requests a stop with exit code (v << 1) | 1, as QEMU', () => {
    const machine = new Machine({ memoryMiB: 2 });
    assert.strictEqual(machine.stopRequest, null);
    machine.io.out8(0xf4, 0x21);
    assert.deepStrictEqual(machine.stopRequest, { reason: 'exit', code: 0x43 });
  });

  it('a 32-bit write keeps every bit of v', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out32(0xf4, 0x80000000);
    assert.deepStrictEqual(machine.stopRequest, { reason: 'exit', code: 0x100000001 });
  });

  it('the first stop request wins', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(0xf4, 0);
    machine.requestStop('triple-fault', 3);
    assert.deepStrictEqual(machine.stopRequest, { reason: 'exit', code: 1 });
  });

  it('reads 0, as on qemu-system-i386', () => {
    assert.strictEqual(new Machine({ memoryMiB: 2 }).io.in8(0xf4), 0);
  });
});
