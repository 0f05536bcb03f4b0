// MC146818 CMOS/RTC at 0x70 (index, bit 7 = NMI disable) and 0x71 (data). The clock starts at
// a fixed date and advances with virtual time only, so every run reads the same time.

import { civilFromSeconds, daysFromCivil } from './civilDate';
import type { IoDevice } from './ioBus';
import { NS_PER_SECOND, VirtualClock } from './virtualClock';

export const CMOS_INDEX_PORT = 0x70;
export const CMOS_DATA_PORT = 0x71;

/** Power-on time of every run: 2024-01-01 00:00:00 (a Monday), chosen to be recognisable. */
export const RTC_EPOCH_UNIX_SECONDS = daysFromCivil(2024, 1, 1) * 86_400;

const REG_SECONDS = 0x00;
const REG_MINUTES = 0x02;
const REG_HOURS = 0x04;
const REG_WEEKDAY = 0x06;
const REG_DAY = 0x07;
const REG_MONTH = 0x08;
const REG_YEAR = 0x09;
const REG_A = 0x0a;
const REG_B = 0x0b;
const REG_C = 0x0c;
const REG_D = 0x0d;
const REG_CENTURY = 0x32;

const REG_A_UIP = 0x80;
const REG_B_SET = 0x80;
const REG_B_BINARY = 0x04;
const REG_B_24_HOUR = 0x02;
/** The update cycle takes 244 us; UIP is set for that long before each second ticks over. */
const UPDATE_CYCLE_NS = 244_000;

export class CmosRtc implements IoDevice {
  /** Set when the guest wrote the index with bit 7: the CPU consults it before delivering NMI. */
  nmiDisabled = false;
  private index = 0;
  private readonly ram = new Uint8Array(128);

  constructor(private readonly clock: VirtualClock, ramSizeBytes: number) {
    // Values measured on qemu-system-i386: A = 0x26 (32.768 kHz, 1024 Hz), B = 0x02 (24-hour,
    // BCD), C = 0, D = 0x80 (battery good).
    this.ram[REG_A] = 0x26;
    this.ram[REG_B] = REG_B_24_HOUR;
    this.ram[REG_D] = 0x80;
    this.storeMemorySizes(ramSizeBytes);
  }

  ioRead(port: number): number {
    if (port === CMOS_INDEX_PORT) return 0xff; // the index register is write-only (QEMU reads 0xFF)
    return this.readRegister(this.index);
  }

  ioWrite(port: number, value: number): void {
    if (port === CMOS_INDEX_PORT) {
      this.nmiDisabled = (value & 0x80) !== 0;
      this.index = value & 0x7f;
      return;
    }
    switch (this.index) {
      case REG_A: this.ram[REG_A] = (this.ram[REG_A]! & REG_A_UIP) | (value & 0x7f); break;
      case REG_C:
      case REG_D: break; // read-only status
      // Time registers are computed from virtual time; a guest setting the clock is ignored.
      case REG_SECONDS: case REG_MINUTES: case REG_HOURS: case REG_WEEKDAY:
      case REG_DAY: case REG_MONTH: case REG_YEAR: case REG_CENTURY: break;
      default: this.ram[this.index] = value;
    }
  }

  readRegister(index: number): number {
    const now = civilFromSeconds(RTC_EPOCH_UNIX_SECONDS + Math.floor(this.clock.nowNs / NS_PER_SECOND));
    switch (index) {
      case REG_SECONDS: return this.encode(now.second);
      case REG_MINUTES: return this.encode(now.minute);
      case REG_HOURS: return this.encodeHour(now.hour);
      case REG_WEEKDAY: return this.encode(now.weekday);
      case REG_DAY: return this.encode(now.day);
      case REG_MONTH: return this.encode(now.month);
      case REG_YEAR: return this.encode(now.year % 100);
      case REG_CENTURY: return this.encode(Math.floor(now.year / 100));
      case REG_A: return (this.ram[REG_A]! & 0x7f) | (this.updateInProgress() ? REG_A_UIP : 0);
      case REG_C: {
        const flags = this.ram[REG_C]!;
        this.ram[REG_C] = 0; // reading C acknowledges its interrupt flags
        return flags;
      }
      default: return this.ram[index]!;
    }
  }

  private updateInProgress(): boolean {
    if (this.ram[REG_B]! & REG_B_SET) return false;
    return this.clock.nowNs % NS_PER_SECOND >= NS_PER_SECOND - UPDATE_CYCLE_NS;
  }

  private encode(value: number): number {
    return (this.ram[REG_B]! & REG_B_BINARY) ? value : ((Math.floor(value / 10) << 4) | (value % 10));
  }

  private encodeHour(hour: number): number {
    if (this.ram[REG_B]! & REG_B_24_HOUR) return this.encode(hour);
    const hour12 = hour % 12 === 0 ? 12 : hour % 12;
    return this.encode(hour12) | (hour >= 12 ? 0x80 : 0);
  }

  // The memory-size bytes a BIOS and old kernels read, filled as QEMU's pc machine fills them.
  private storeMemorySizes(ramSizeBytes: number): void {
    const baseKiB = 640;
    this.ram[0x15] = baseKiB & 0xff;
    this.ram[0x16] = baseKiB >> 8;
    const extendedKiB = Math.min(0xffff, Math.max(0, Math.floor(ramSizeBytes / 1024) - 1024));
    this.ram[0x17] = this.ram[0x30] = extendedKiB & 0xff;
    this.ram[0x18] = this.ram[0x31] = extendedKiB >> 8;
    const above16MiB64KiB = Math.min(0xffff, Math.max(0, Math.floor((ramSizeBytes - 16 * 1024 * 1024) / 65536)));
    this.ram[0x34] = above16MiB64KiB & 0xff;
    this.ram[0x35] = above16MiB64KiB >> 8;
  }
}
