// The 8254 programmable interval timer at 0x40-0x43, counted in PIT ticks of virtual time.
// Counts and OUT are computed from the ticks elapsed since a count was loaded (as QEMU's i8254
// does), so nothing runs per tick; channel 0's OUT edges drive IRQ0.

import type { IoDevice } from './ioBus';
import type { IrqLines } from './interrupts';
import { VirtualClock, nsToTicks, ticksToNs } from './virtualClock';

export const PIT_HZ = 1_193_182;
export const PIT_BASE_PORT = 0x40;
const CONTROL_PORT_OFFSET = 3;
const TIMER_IRQ = 0;
const NEVER = Number.POSITIVE_INFINITY;

/** Access modes of the control word's RW field. */
const RW_LSB = 1;
const RW_MSB = 2;
const RW_LOHI = 3;

export class PitChannel {
  mode = 3;
  rwMode = RW_LOHI;
  bcd = false;
  /** Reload value in ticks, 1..0x10000 (a written 0 means 0x10000). */
  count = 0x10000;
  loadTick = 0;
  /** False after a control word until a count is written ("null count"). */
  counting = true;
  private writeLow = true;
  private writeLatch = 0;
  private readLow = true;
  private latchedCount = 0;
  /** Bytes of the latched count still to be read: 0, or the RW mode's sequence. */
  private latchedState = 0;
  private statusLatched = false;
  private latchedStatus = 0;

  countAt(tick: number): number {
    if (!this.counting) return this.count & 0xffff;
    const d = tick - this.loadTick;
    switch (this.mode) {
      case 2: return this.count - (d % this.count);
      case 3: return this.count - ((2 * d) % this.count);
      default: return (this.count - d) & 0xffff; // one-shot modes keep counting down past zero
    }
  }

  /** OUT at `tick`, with QEMU's conventions (mode 2 and 4 OUT is a one-tick high pulse). */
  outAt(tick: number): boolean {
    if (!this.counting) return this.mode !== 0;
    const d = tick - this.loadTick;
    switch (this.mode) {
      case 0: return d >= this.count;
      case 1: return d < this.count;
      case 2: return d !== 0 && d % this.count === 0;
      case 3: return d % this.count < ((this.count + 1) >> 1);
      default: return d === this.count;
    }
  }

  /** First tick after `tick` at which OUT changes, or Infinity. */
  nextTransitionTick(tick: number): number {
    if (!this.counting) return NEVER;
    const d = tick - this.loadTick;
    const base = d - (d % this.count);
    let next: number;
    switch (this.mode) {
      case 0:
      case 1:
        if (d >= this.count) return NEVER;
        next = this.count;
        break;
      case 2:
        if (this.count === 1) return NEVER; // OUT never pulses: count 1 is illegal in mode 2
        next = d !== 0 && d === base ? base + 1 : base + this.count;
        break;
      case 3: {
        if (this.count === 1) return NEVER;
        const half = (this.count + 1) >> 1;
        next = d - base < half ? base + half : base + this.count;
        break;
      }
      default:
        if (d > this.count) return NEVER;
        next = d < this.count ? this.count : this.count + 1;
    }
    return this.loadTick + next;
  }

  writeControl(value: number): void {
    this.rwMode = (value >> 4) & 3;
    let mode = (value >> 1) & 7;
    if (mode >= 6) mode -= 4; // 6 and 7 are aliases of 2 and 3 on the 8254
    this.mode = mode;
    this.bcd = (value & 1) !== 0;
    this.writeLow = true;
    this.readLow = true;
    this.counting = false;
  }

  writeCount(value: number, tick: number): void {
    switch (this.rwMode) {
      case RW_LSB: this.load(value, tick); break;
      case RW_MSB: this.load(value << 8, tick); break;
      default:
        if (this.writeLow) {
          this.writeLatch = value;
          this.writeLow = false;
        } else {
          this.load(this.writeLatch | (value << 8), tick);
          this.writeLow = true;
        }
    }
  }

  readCount(tick: number): number {
    if (this.statusLatched) {
      this.statusLatched = false;
      return this.latchedStatus;
    }
    if (this.latchedState !== 0) return this.readLatched();
    const count = this.countAt(tick);
    switch (this.rwMode) {
      case RW_LSB: return count & 0xff;
      case RW_MSB: return (count >> 8) & 0xff;
      default: {
        const low = this.readLow;
        this.readLow = !low;
        return low ? count & 0xff : (count >> 8) & 0xff;
      }
    }
  }

  /** Counter latch: freezes the count for reading; a second latch before reading is ignored. */
  latchCount(tick: number): void {
    if (this.latchedState !== 0) return;
    this.latchedCount = this.countAt(tick);
    this.latchedState = this.rwMode;
  }

  latchStatus(tick: number): void {
    if (this.statusLatched) return;
    this.latchedStatus = (this.outAt(tick) ? 0x80 : 0) | (this.counting ? 0 : 0x40) |
      (this.rwMode << 4) | (this.mode << 1) | (this.bcd ? 1 : 0);
    this.statusLatched = true;
  }

  private readLatched(): number {
    switch (this.latchedState) {
      case RW_LSB:
        this.latchedState = 0;
        return this.latchedCount & 0xff;
      case RW_MSB:
        this.latchedState = 0;
        return (this.latchedCount >> 8) & 0xff;
      default:
        this.latchedState = RW_MSB; // low byte now, high byte next
        return this.latchedCount & 0xff;
    }
  }

  private load(value: number, tick: number): void {
    this.count = value === 0 ? 0x10000 : value;
    this.loadTick = tick;
    this.counting = true;
  }
}

export class Pit8254 implements IoDevice {
  readonly channels: readonly [PitChannel, PitChannel, PitChannel];
  /** Virtual ns of channel 0's next OUT edge; the machine calls runDueEvents() once it passes. */
  nextEventNs = NEVER;
  private nextEventTick = NEVER;
  private irq0Level = false;

  constructor(private readonly clock: VirtualClock, private readonly irqs: IrqLines) {
    this.channels = [new PitChannel(), new PitChannel(), new PitChannel()];
    // SeaBIOS leaves channel 0 in mode 2, lobyte/hibyte, count 0x10000 (18.2 Hz): status 0x34
    // read back on qemu-system-i386 at multiboot entry. Channels 1 and 2 keep QEMU's reset mode 3.
    this.channels[0].mode = 2;
    this.reschedule(this.nowTick());
  }

  nowTick(): number { return nsToTicks(this.clock.nowNs, PIT_HZ); }

  /** Delivers every channel 0 OUT edge up to now to IRQ0, in order. */
  runDueEvents(): void {
    const now = this.nowTick();
    let tick = this.nextEventTick;
    const channel0 = this.channels[0];
    // Many periods at once (a long halt skipped in one tick): IRR latches one request anyway,
    // so only the last full period's edges matter.
    if (now - tick > 2 * channel0.count && (channel0.mode === 2 || channel0.mode === 3)) {
      const periods = Math.floor((now - channel0.loadTick) / channel0.count);
      tick = channel0.nextTransitionTick(channel0.loadTick + (periods - 1) * channel0.count);
    }
    while (tick <= now) {
      this.setIrq0(channel0.outAt(tick));
      tick = channel0.nextTransitionTick(tick);
    }
    this.reschedule(now);
  }

  ioRead(port: number): number {
    const index = port - PIT_BASE_PORT;
    if (index === CONTROL_PORT_OFFSET) return 0; // the control word is write-only; QEMU reads 0
    return this.channels[index]!.readCount(this.nowTick());
  }

  ioWrite(port: number, value: number): void {
    this.runDueEvents(); // edges before this write happened under the old programming
    const now = this.nowTick();
    const index = port - PIT_BASE_PORT;
    if (index !== CONTROL_PORT_OFFSET) {
      this.channels[index]!.writeCount(value & 0xff, now);
    } else if ((value >> 6) === 3) {
      this.readBack(value, now);
    } else {
      const channel = this.channels[value >> 6]!;
      if (((value >> 4) & 3) === 0) channel.latchCount(now);
      else channel.writeControl(value);
    }
    // As QEMU: a control word leaves IRQ0 alone; loading a count drives it to OUT at once, so
    // loading mode 3 (OUT high) after mode 2 (OUT low between pulses) gives an immediate edge.
    if (index === 0 && this.channels[0].counting) this.setIrq0(this.channels[0].outAt(now));
    this.reschedule(now);
  }

  private readBack(value: number, tick: number): void {
    for (let i = 0; i < 3; i++) {
      if (!(value & (2 << i))) continue;
      const channel = this.channels[i]!;
      if (!(value & 0x20)) channel.latchCount(tick);
      if (!(value & 0x10)) channel.latchStatus(tick);
    }
  }

  private setIrq0(level: boolean): void {
    if (level === this.irq0Level) return;
    this.irq0Level = level;
    if (level) this.irqs.raiseIrq(TIMER_IRQ); else this.irqs.lowerIrq(TIMER_IRQ);
  }

  private reschedule(now: number): void {
    this.nextEventTick = this.channels[0].nextTransitionTick(now);
    this.nextEventNs = this.nextEventTick === NEVER ? NEVER : ticksToNs(this.nextEventTick, PIT_HZ);
  }
}
