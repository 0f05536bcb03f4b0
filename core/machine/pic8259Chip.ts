// One 8259A programmable interrupt controller: the ICW1-4 init sequence, IMR, IRR/ISR, EOI
// commands, rotation, special mask, poll and OCW3 register reads. The pair (pic8259.ts) cascades two.

const ICW1_ICW4_NEEDED = 0x01;
const ICW1_SINGLE = 0x02;
const ICW1_LEVEL = 0x08;
const ICW1 = 0x10;
const OCW3 = 0x08;
const NO_IRQ = -1;

export class Pic8259Chip {
  irr = 0;
  isr = 0;
  imr = 0;
  vectorBase = 0;
  /** Lowest-priority rotation: IRQ (priorityAdd) has the highest priority. */
  priorityAdd = 0;
  autoEoi = false;
  rotateOnAutoEoi = false;
  specialMask = false;
  specialFullyNested = false;
  levelTriggered = false;
  readIsr = false;
  poll = false;
  /** 0 = operational; 1, 2, 3 = waiting for ICW2, ICW3, ICW4. */
  initStep = 0;
  private icw4Needed = false;
  private single = false;
  /** Line levels as last driven, to detect rising edges. */
  private lineLevels = 0;

  constructor(private readonly isMaster: boolean, private readonly onChange: () => void) {}

  setLine(irq: number, level: boolean): void {
    const bit = 1 << irq;
    if (this.levelTriggered) {
      if (level) this.irr |= bit; else this.irr &= ~bit;
    } else if (level && !(this.lineLevels & bit)) {
      this.irr |= bit;
    }
    if (level) this.lineLevels |= bit; else this.lineLevels &= ~bit;
    this.onChange();
  }

  /** The IRQ (0-7) this chip would present on INTR now, or -1. */
  highestRequest(): number {
    const requestPriority = this.priorityOf(this.irr & ~this.imr);
    if (requestPriority === 8) return NO_IRQ;
    let inService = this.isr;
    if (this.specialMask) inService &= ~this.imr;
    // In special fully nested mode a slave's further requests may interrupt its own service.
    if (this.specialFullyNested && this.isMaster) inService &= ~(1 << 2);
    return requestPriority < this.priorityOf(inService) ? (requestPriority + this.priorityAdd) & 7 : NO_IRQ;
  }

  /** INTA for `irq`: moves it from IRR to ISR (or drops it under automatic EOI). */
  acknowledgeIrq(irq: number): void {
    const bit = 1 << irq;
    if (this.autoEoi) {
      if (this.rotateOnAutoEoi) this.priorityAdd = (irq + 1) & 7;
    } else {
      this.isr |= bit;
    }
    if (!this.levelTriggered) this.irr &= ~bit;
  }

  writeCommand(value: number): void {
    if (value & ICW1) {
      this.startInit(value);
    } else if (value & OCW3) {
      if (value & 0x04) this.poll = true;
      if (value & 0x02) this.readIsr = (value & 0x01) !== 0;
      if (value & 0x40) this.specialMask = (value & 0x20) !== 0;
    } else {
      this.writeOcw2(value);
    }
    this.onChange();
  }

  writeData(value: number): void {
    switch (this.initStep) {
      case 0: this.imr = value; break;
      case 1:
        this.vectorBase = value & 0xf8;
        this.initStep = this.single ? (this.icw4Needed ? 3 : 0) : 2;
        break;
      case 2: this.initStep = this.icw4Needed ? 3 : 0; break; // ICW3: cascade wiring is fixed on a PC
      default:
        this.specialFullyNested = (value & 0x10) !== 0;
        this.autoEoi = (value & 0x02) !== 0;
        this.initStep = 0;
    }
    this.onChange();
  }

  readCommand(): number { return this.readIsr ? this.isr : this.irr; }
  readData(): number { return this.imr; }

  private startInit(value: number): void {
    // ICW1 resets the chip as the 8259A datasheet says: IMR cleared, IRQ7 lowest priority,
    // special mask off, IRR read selected; edge detection restarts.
    this.lineLevels = 0;
    this.irr = 0;
    this.isr = 0;
    this.imr = 0;
    this.priorityAdd = 0;
    this.autoEoi = false;
    this.rotateOnAutoEoi = false;
    this.specialMask = false;
    this.specialFullyNested = false;
    this.readIsr = false;
    this.poll = false;
    this.icw4Needed = (value & ICW1_ICW4_NEEDED) !== 0;
    this.single = (value & ICW1_SINGLE) !== 0;
    this.levelTriggered = (value & ICW1_LEVEL) !== 0;
    this.initStep = 1;
  }

  private writeOcw2(value: number): void {
    const command = value >> 5;
    switch (command) {
      case 0: this.rotateOnAutoEoi = false; break;
      case 4: this.rotateOnAutoEoi = true; break;
      case 1: // non-specific EOI: clears the highest-priority bit in service
      case 5: { // ... and rotates so that IRQ becomes lowest priority
        const priority = this.priorityOf(this.isr);
        if (priority !== 8) {
          const irq = (priority + this.priorityAdd) & 7;
          this.isr &= ~(1 << irq);
          if (command === 5) this.priorityAdd = (irq + 1) & 7;
        }
        break;
      }
      case 3: this.isr &= ~(1 << (value & 7)); break; // specific EOI
      case 6: this.priorityAdd = (value + 1) & 7; break; // set priority: IRQ (value & 7) lowest
      case 7: // rotate on specific EOI
        this.isr &= ~(1 << (value & 7));
        this.priorityAdd = (value + 1) & 7;
        break;
      default: break; // 2 is a no-op
    }
  }

  /** Priority rank (0 highest) of the best bit in `bits` given the rotation; 8 when empty. */
  private priorityOf(bits: number): number {
    if ((bits & 0xff) === 0) return 8;
    let priority = 0;
    while (!(bits & (1 << ((priority + this.priorityAdd) & 7)))) priority++;
    return priority;
  }
}
