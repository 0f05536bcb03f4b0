import * as assert from 'assert';
import { Machine } from '../../../core/machine/machine';
import { PIT_HZ } from '../../../core/machine/pit8254';

/** Remaps the PIC as a guest would, unmasking only IRQ0, so acknowledged vectors count ticks. */
function machineWithTimerUnmasked(): Machine {
  const machine = new Machine({ memoryMiB: 2 });
  const io = machine.io;
  io.out8(0x20, 0x11); io.out8(0x21, 0x20); io.out8(0x21, 0x04); io.out8(0x21, 0x01);
  io.out8(0x21, 0xfe);
  return machine;
}

/** Runs `ns` of virtual time in 1000-instruction steps, taking each timer interrupt at once. */
function countTimerInterrupts(machine: Machine, ns: number, stepInstructions = 1000): number {
  let count = 0;
  for (let done = 0; done < ns; done += stepInstructions) {
    machine.tick(stepInstructions);
    while (machine.pic.hasPendingInterrupt()) {
      assert.strictEqual(machine.pic.acknowledge(), 0x20);
      machine.io.out8(0x20, 0x20);
      count++;
    }
  }
  return count;
}

function program(machine: Machine, control: number, count: number): void {
  machine.io.out8(0x43, control);
  machine.io.out8(0x40, count & 0xff);
  machine.io.out8(0x40, count >> 8);
}

describe('machine: 8254 PIT on virtual time', () => {
  it('starts as SeaBIOS leaves it on qemu-system-i386: channel 0 status 0x34 (mode 2, lo/hi)', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(0x43, 0xe2); // read-back: status of channel 0
    assert.strictEqual(machine.io.in8(0x40), 0x34);
  });

  it('mode 2 with count 1193 raises IRQ0 1000 times per virtual second', () => {
    const machine = machineWithTimerUnmasked();
    program(machine, 0x34, 1193);
    assert.strictEqual(countTimerInterrupts(machine, 100_000_000), 100); // 100 ms
  });

  it('mode 3 (square wave) with count 11931 raises IRQ0 at load, as QEMU, then 100 times per virtual second', () => {
    const machine = machineWithTimerUnmasked();
    program(machine, 0x36, 11931);
    assert.strictEqual(countTimerInterrupts(machine, 1000), 1, 'OUT rises when the count is loaded');
    assert.strictEqual(countTimerInterrupts(machine, 1_000_000_000 - 1000, 10_000), 100);
  });

  it('the rate does not depend on how the CPU batches its ticks', () => {
    const a = machineWithTimerUnmasked();
    const b = machineWithTimerUnmasked();
    program(a, 0x34, 100);
    program(b, 0x34, 100);
    assert.strictEqual(countTimerInterrupts(a, 10_000_000, 7), countTimerInterrupts(b, 10_000_000, 9973));
  });

  it('mode 0 (one-shot) interrupts once when the count runs out', () => {
    const machine = machineWithTimerUnmasked();
    program(machine, 0x30, 1193); // 1 ms
    assert.strictEqual(countTimerInterrupts(machine, 999_000), 0);
    assert.strictEqual(countTimerInterrupts(machine, 20_000_000), 1);
  });

  it('mode 2 counts down from the reload value by one per PIT tick', () => {
    const machine = new Machine({ memoryMiB: 2 });
    program(machine, 0x34, 1000);
    const tickNs = 1e9 / PIT_HZ;
    machine.tick(Math.ceil(10 * tickNs)); // just past 10 PIT ticks
    machine.io.out8(0x43, 0x00); // latch channel 0
    const count = machine.io.in8(0x40) | (machine.io.in8(0x40) << 8);
    assert.strictEqual(count, 990);
  });

  it('the latch freezes the count until both bytes are read', () => {
    const machine = new Machine({ memoryMiB: 2 });
    program(machine, 0x34, 50000);
    machine.tick(1000);
    machine.io.out8(0x43, 0x00);
    const low = machine.io.in8(0x40);
    machine.tick(100_000);
    const latched = low | (machine.io.in8(0x40) << 8);
    const live = machine.io.in8(0x40) | (machine.io.in8(0x40) << 8);
    assert.strictEqual(latched, 50000 - 1);
    assert.ok(live < latched - 100, `live count ${live} should have moved on from ${latched}`);
  });

  it('lobyte-only access loads and reads one byte', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(0x43, 0x54); // channel 1, lobyte, mode 2
    machine.io.out8(0x41, 200);
    assert.strictEqual(machine.io.in8(0x41), 200);
    machine.io.out8(0x43, 0xe4); // read-back status of channel 1
    assert.strictEqual(machine.io.in8(0x41), 0x14);
  });

  it('read-back reports null count after a control word and OUT per mode', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.io.out8(0x43, 0x30); // channel 0 mode 0: OUT low, waiting for a count
    machine.io.out8(0x43, 0xe2);
    assert.strictEqual(machine.io.in8(0x40), 0x70);
    machine.io.out8(0x40, 10); machine.io.out8(0x40, 0);
    machine.tick(20_000); // > 10 ticks: terminal count reached, OUT high
    machine.io.out8(0x43, 0xe2);
    assert.strictEqual(machine.io.in8(0x40), 0xb0);
  });

  it('reading the control port gives 0, as QEMU', () => {
    const machine = new Machine({ memoryMiB: 2 });
    assert.strictEqual(machine.io.in8(0x43), 0);
  });
});
