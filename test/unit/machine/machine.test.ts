import * as assert from 'assert';
import { ConsoleBuffer } from '../../../core/machine/console';
import { Machine } from '../../../core/machine/machine';

/** A guest's device programming, replayed without a CPU: timer, UART with input, PCI and CMOS reads. */
function runScript(machine: Machine): string[] {
  const io = machine.io;
  const observed: string[] = [];
  io.out8(0x20, 0x11); io.out8(0x21, 0x20); io.out8(0x21, 0x04); io.out8(0x21, 0x01); io.out8(0x21, 0xec);
  io.out8(0x43, 0x34); io.out8(0x40, 0xa9); io.out8(0x40, 0x04);
  io.out8(0x3f9, 0x01);
  machine.sendInput('hello');
  for (let step = 0; step < 5000; step++) {
    machine.tick(997);
    if (machine.pic.hasPendingInterrupt()) {
      const vector = machine.pic.acknowledge();
      observed.push(`int 0x${vector.toString(16)} at ${machine.clock.nowNs} ns`);
      if (vector === 0x24) io.out8(0x3f8, io.in8(0x3f8) ^ 0x20);
      io.out8(0x20, 0x20);
    }
    if (step % 500 === 0) {
      io.out8(0x43, 0x00);
      observed.push(`pit ${io.in8(0x40) | (io.in8(0x40) << 8)}`);
      io.out8(0x70, 0x00);
      observed.push(`rtc seconds ${io.in8(0x71).toString(16)}`);
    }
  }
  io.out8(0xf4, 0x2a);
  return observed;
}

describe('machine: wiring and determinism', () => {
  it('the same device program and input give the same observations and state', () => {
    const a = new Machine({ memoryMiB: 4 });
    const b = new Machine({ memoryMiB: 4 });
    const observedA = runScript(a);
    assert.deepStrictEqual(runScript(b), observedA);
    assert.strictEqual(a.console!.text, 'HELLO');
    assert.strictEqual(b.console!.text, 'HELLO');
    assert.deepStrictEqual(a.stopRequest, { reason: 'exit', code: 0x55 });
    assert.ok(observedA.some((line) => line.startsWith('int 0x20')), 'the timer interrupted');
    assert.strictEqual(observedA.filter((line) => line.startsWith('int 0x24')).length, 5, 'one UART interrupt per byte');
  });

  it('virtual time is instructions retired at 1 ns each', () => {
    const machine = new Machine({ memoryMiB: 2 });
    machine.tick(1500);
    machine.tick(1);
    assert.strictEqual(machine.clock.nowNs, 1501);
  });

  it('a host-supplied console sink receives the guest output', () => {
    const sink = new ConsoleBuffer();
    const machine = new Machine({ memoryMiB: 2, consoleSink: sink });
    machine.io.out8(0x3f8, 0x41);
    assert.strictEqual(sink.text, 'A');
    assert.strictEqual(machine.console, undefined);
  });

  it('defaults to 32 MiB of RAM', () => {
    assert.strictEqual(new Machine().memory.sizeBytes, 32 * 1024 * 1024);
  });
});
