// The PC's 8259A pair: master at 0x20/0x21, slave at 0xA0/0xA1 cascaded on master IRQ2.
// It is the CPU's InterruptController and the devices' IrqLines.

import type { IoDevice } from './ioBus';
import type { InterruptController, IrqLines } from './interrupts';
import { Pic8259Chip } from './pic8259Chip';

export const PIC_MASTER_PORT = 0x20;
export const PIC_SLAVE_PORT = 0xa0;
const CASCADE_IRQ = 2;
const SPURIOUS_IRQ = 7;

/** The state SeaBIOS leaves before a multiboot kernel starts, measured on qemu-system-i386:
 *  master vectors 0x08-0x0F, slave 0x70-0x77, IMR 0xB8 / 0x8E. A guest that does not reprogram
 *  the PIC therefore sees what it would see under QEMU. */
export const BIOS_PIC_STATE = { masterBase: 0x08, slaveBase: 0x70, masterImr: 0xb8, slaveImr: 0x8e } as const;

export class Pic8259Pair implements InterruptController, IrqLines, IoDevice {
  readonly master: Pic8259Chip;
  readonly slave: Pic8259Chip;
  /** INTR as last computed; read by the CPU on its hot path. */
  private intr = false;
  private updating = false;

  constructor() {
    this.master = new Pic8259Chip(true, () => this.update());
    this.slave = new Pic8259Chip(false, () => this.update());
    this.master.vectorBase = BIOS_PIC_STATE.masterBase;
    this.slave.vectorBase = BIOS_PIC_STATE.slaveBase;
    this.master.imr = BIOS_PIC_STATE.masterImr;
    this.slave.imr = BIOS_PIC_STATE.slaveImr;
  }

  raiseIrq(irq: number): void { this.setIrq(irq, true); }
  lowerIrq(irq: number): void { this.setIrq(irq, false); }

  hasPendingInterrupt(): boolean { return this.intr; }

  acknowledge(): number {
    let vector: number;
    const irq = this.master.highestRequest();
    if (irq < 0) {
      vector = this.master.vectorBase + SPURIOUS_IRQ; // INTR dropped before INTA: spurious IRQ7
    } else {
      this.master.acknowledgeIrq(irq);
      if (irq === CASCADE_IRQ) {
        const slaveIrq = this.slave.highestRequest();
        if (slaveIrq >= 0) this.slave.acknowledgeIrq(slaveIrq);
        vector = this.slave.vectorBase + (slaveIrq >= 0 ? slaveIrq : SPURIOUS_IRQ);
      } else {
        vector = this.master.vectorBase + irq;
      }
    }
    this.update();
    return vector;
  }

  ioRead(port: number): number {
    const chip = port >= PIC_SLAVE_PORT ? this.slave : this.master;
    if (chip.poll) return this.pollRead(chip);
    return (port & 1) ? chip.readData() : chip.readCommand();
  }

  ioWrite(port: number, value: number): void {
    const chip = port >= PIC_SLAVE_PORT ? this.slave : this.master;
    if (port & 1) chip.writeData(value & 0xff); else chip.writeCommand(value & 0xff);
  }

  private setIrq(irq: number, level: boolean): void {
    if (irq >= 8) this.slave.setLine(irq - 8, level);
    else this.master.setLine(irq, level);
  }

  /** OCW3 poll: the next read returns 0x80 | IRQ and acknowledges it, or 0 when none. */
  private pollRead(chip: Pic8259Chip): number {
    chip.poll = false;
    const irq = chip.highestRequest();
    if (irq < 0) return 0;
    chip.acknowledgeIrq(irq);
    this.update();
    return 0x80 | irq;
  }

  // The slave's INT output drives master IRQ2; the master's drives INTR.
  private update(): void {
    if (this.updating) return;
    this.updating = true;
    this.master.setLine(CASCADE_IRQ, this.slave.highestRequest() >= 0);
    this.intr = this.master.highestRequest() >= 0;
    this.updating = false;
  }
}
