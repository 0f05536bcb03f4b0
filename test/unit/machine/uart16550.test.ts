import * as assert from 'assert';
import { Machine } from '../../../core/machine/machine';

const COM1 = 0x3f8;

function machineWithUartIrqUnmasked(): Machine {
  const machine = new Machine({ memoryMiB: 2 });
  const io = machine.io;
  io.out8(0x20, 0x11); io.out8(0x21, 0x20); io.out8(0x21, 0x04); io.out8(0x21, 0x01);
  io.out8(0x21, 0xef); // only IRQ4
  return machine;
}

describe('machine: 16550 UART (COM1)', () => {
  it('resets to the values qemu-system-i386 shows after SeaBIOS (IER 0, IIR 1, LCR 0, MCR 8, LSR 0x60, MSR 0xB0)', () => {
    const io = new Machine({ memoryMiB: 2 }).io;
    const values = [1, 2, 3, 4, 5, 6, 7].map((offset) => io.in8(COM1 + offset));
    assert.deepStrictEqual(values, [0x00, 0x01, 0x00, 0x08, 0x60, 0xb0, 0x00]);
  });

  it('bytes written to THR reach the console in order', () => {
    const machine = new Machine({ memoryMiB: 2 });
    for (const ch of 'hi\n') machine.io.out8(COM1, ch.charCodeAt(0));
    assert.strictEqual(machine.console!.text, 'hi\n');
  });

  it('LSR always shows THRE and TEMT, and DR while input is queued', () => {
    const machine = new Machine({ memoryMiB: 2 });
    assert.strictEqual(machine.io.in8(COM1 + 5), 0x60);
    machine.sendInput('ab');
    assert.strictEqual(machine.io.in8(COM1 + 5), 0x61);
    assert.strictEqual(machine.io.in8(COM1), 'a'.charCodeAt(0));
    assert.strictEqual(machine.io.in8(COM1), 'b'.charCodeAt(0));
    assert.strictEqual(machine.io.in8(COM1 + 5), 0x60);
  });

  it('DLAB switches ports 0 and 1 to the divisor latch without transmitting', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(COM1 + 3, 0x80);
    machine.io.out8(COM1, 0x01); // 115200 baud
    machine.io.out8(COM1 + 1, 0x00);
    assert.strictEqual(machine.io.in8(COM1), 0x01);
    machine.io.out8(COM1 + 3, 0x03); // 8N1, DLAB off
    assert.strictEqual(machine.io.in8(COM1 + 3), 0x03);
    assert.strictEqual(machine.console!.text, '');
  });

  it('received data raises IRQ4 when IER bit 0 is set; IIR says 0x04 until RBR is read', () => {
    const machine = machineWithUartIrqUnmasked();
    machine.io.out8(COM1 + 1, 0x01);
    assert.strictEqual(machine.pic.hasPendingInterrupt(), false);
    machine.sendInput('x');
    assert.strictEqual(machine.pic.hasPendingInterrupt(), true);
    assert.strictEqual(machine.pic.acknowledge(), 0x24);
    assert.strictEqual(machine.io.in8(COM1 + 2), 0x04);
    assert.strictEqual(machine.io.in8(COM1), 'x'.charCodeAt(0));
    assert.strictEqual(machine.io.in8(COM1 + 2), 0x01);
  });

  it('THRE interrupt: raised when enabled, cleared by reading IIR, raised again after each byte', () => {
    const machine = machineWithUartIrqUnmasked();
    machine.io.out8(COM1 + 1, 0x02);
    assert.strictEqual(machine.pic.hasPendingInterrupt(), true);
    machine.pic.acknowledge();
    assert.strictEqual(machine.io.in8(COM1 + 2), 0x02);
    assert.strictEqual(machine.io.in8(COM1 + 2), 0x01);
    machine.io.out8(0x20, 0x20);
    machine.io.out8(COM1, 0x41);
    assert.strictEqual(machine.pic.hasPendingInterrupt(), true);
  });

  it('FCR bit 0 shows as IIR bits 6-7', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(COM1 + 2, 0xc7);
    assert.strictEqual(machine.io.in8(COM1 + 2), 0xc1);
  });

  it('the scratch register keeps what is written', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(COM1 + 7, 0x5a);
    assert.strictEqual(machine.io.in8(COM1 + 7), 0x5a);
  });

  it('loopback (MCR bit 4) returns transmitted bytes as received data, not to the console', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(COM1 + 4, 0x1e);
    machine.io.out8(COM1, 0xae);
    assert.strictEqual(machine.io.in8(COM1 + 5) & 1, 1);
    assert.strictEqual(machine.io.in8(COM1), 0xae);
    assert.strictEqual(machine.console!.text, '');
    machine.io.out8(COM1 + 4, 0x0f);
    machine.io.out8(COM1, 0x41);
    assert.strictEqual(machine.console!.text, 'A');
  });
});
