// COM1: a 16550A UART at 0x3F8, IRQ4. Transmission is instant (THRE and TEMT always set), so
// the guest's bytes reach the console sink in program order; received bytes come from the
// console input queue. Reset values are those read on qemu-system-i386 after SeaBIOS.

import { ConsoleInputQueue, type ConsoleSink } from './console';
import type { IoDevice } from './ioBus';
import type { IrqLines } from './interrupts';

export const COM1_BASE_PORT = 0x3f8;
export const COM1_IRQ = 4;

const IER_RX_DATA = 0x01;
const IER_THRE = 0x02;
const IER_MODEM_STATUS = 0x08;

const IIR_NONE = 0x01;
const IIR_MODEM_STATUS = 0x00;
const IIR_THRE = 0x02;
const IIR_RX_DATA = 0x04;
const IIR_FIFO_ENABLED = 0xc0;

const LCR_DLAB = 0x80;
const MCR_LOOPBACK = 0x10;

const LSR_DATA_READY = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;

/** DCD, DSR and CTS asserted: a terminal is attached (QEMU's reset value, measured). */
const MSR_CONNECTED = 0xb0;

export class Uart16550 implements IoDevice {
  ier = 0;
  lcr = 0;
  /** OUT2 set, as SeaBIOS leaves it (measured on QEMU). */
  mcr = 0x08;
  scr = 0;
  divisorLatch = 0x0c; // 9600 baud
  fifoEnabled = false;
  /** Bytes the guest sent in loopback mode: they come back as received data. */
  private readonly loopback = new ConsoleInputQueue();
  /** THRE interrupt pending: set when THR empties, cleared by reading IIR or writing THR. */
  private thrEmptyPending = false;
  private msrDelta = 0;
  private irqLevel = false;

  constructor(
    private readonly sink: ConsoleSink,
    readonly input: ConsoleInputQueue,
    private readonly irqs: IrqLines,
    private readonly irq = COM1_IRQ,
  ) {}

  /** Called by the host after pushing input so a waiting guest gets its interrupt. */
  inputChanged(): void { this.updateIrq(); }

  ioRead(port: number): number {
    switch (port - COM1_BASE_PORT) {
      case 0:
        if (this.lcr & LCR_DLAB) return this.divisorLatch & 0xff;
        return this.receive();
      case 1: return (this.lcr & LCR_DLAB) ? this.divisorLatch >> 8 : this.ier;
      case 2: return this.readIir();
      case 3: return this.lcr;
      case 4: return this.mcr;
      case 5: return LSR_THRE | LSR_TEMT | (this.rxQueue().length > 0 ? LSR_DATA_READY : 0);
      case 6: return this.readMsr();
      default: return this.scr;
    }
  }

  ioWrite(port: number, value: number): void {
    switch (port - COM1_BASE_PORT) {
      case 0:
        if (this.lcr & LCR_DLAB) this.divisorLatch = (this.divisorLatch & 0xff00) | value;
        else this.transmit(value);
        break;
      case 1:
        if (this.lcr & LCR_DLAB) {
          this.divisorLatch = (this.divisorLatch & 0x00ff) | (value << 8);
        } else {
          // Enabling the THRE interrupt while THR is empty raises it at once, as on a 16550.
          if ((value & IER_THRE) && !(this.ier & IER_THRE)) this.thrEmptyPending = true;
          this.ier = value & 0x0f;
        }
        break;
      case 2: this.writeFcr(value); break;
      case 3: this.lcr = value; break;
      case 4: {
        const modemLinesBefore = this.readMsrLines();
        this.mcr = value & 0x1f;
        this.msrDelta |= (modemLinesBefore ^ this.readMsrLines()) >> 4;
        break;
      }
      case 5: break; // LSR is read-only here: nothing a guest writes there changes our model
      case 6: break;
      default: this.scr = value;
    }
    this.updateIrq();
  }

  private transmit(byte: number): void {
    this.thrEmptyPending = false;
    if (this.mcr & MCR_LOOPBACK) this.loopback.push([byte]);
    else this.sink.writeByte(byte);
    this.thrEmptyPending = true; // sent instantly: THR is empty again
  }

  // Reading RBR drops the interrupt line even when more input is queued: the next byte then
  // "arrives" with a fresh edge, as bytes from QEMU's character backend do one at a time. Without
  // it a guest taking one byte per interrupt would stall on the edge-triggered PIC.
  private receive(): number {
    const byte = this.rxQueue().shift();
    if (this.irqLevel) {
      this.irqLevel = false;
      this.irqs.lowerIrq(this.irq);
    }
    this.updateIrq();
    return byte < 0 ? 0 : byte;
  }

  private rxQueue(): ConsoleInputQueue {
    return (this.mcr & MCR_LOOPBACK) ? this.loopback : this.input;
  }

  // FIFO resets (bits 1, 2) are ignored: queued console input belongs to the host, and the
  // transmitter is always empty.
  private writeFcr(value: number): void {
    this.fifoEnabled = (value & 0x01) !== 0;
  }

  /** Highest-priority pending source; reading it acknowledges a THRE interrupt. */
  private readIir(): number {
    const source = this.pendingSource();
    if (source === IIR_THRE) this.thrEmptyPending = false;
    this.updateIrq();
    return source | (this.fifoEnabled ? IIR_FIFO_ENABLED : 0);
  }

  private pendingSource(): number {
    if ((this.ier & IER_RX_DATA) && this.rxQueue().length > 0) return IIR_RX_DATA;
    if ((this.ier & IER_THRE) && this.thrEmptyPending) return IIR_THRE;
    if ((this.ier & IER_MODEM_STATUS) && this.msrDelta) return IIR_MODEM_STATUS;
    // No line errors are ever produced, so IER bit 2 (line status) never raises anything.
    return IIR_NONE;
  }

  private readMsr(): number {
    const value = this.readMsrLines() | this.msrDelta;
    this.msrDelta = 0;
    this.updateIrq();
    return value;
  }

  // Loopback wires DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD.
  private readMsrLines(): number {
    if (!(this.mcr & MCR_LOOPBACK)) return MSR_CONNECTED;
    const mcr = this.mcr;
    return ((mcr & 0x01) << 5) | ((mcr & 0x02) << 3) | ((mcr & 0x04) << 4) | ((mcr & 0x08) << 4);
  }

  private updateIrq(): void {
    const level = this.pendingSource() !== IIR_NONE;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    if (level) this.irqs.raiseIrq(this.irq); else this.irqs.lowerIrq(this.irq);
  }
}
