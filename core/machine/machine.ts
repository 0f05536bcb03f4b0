// The PC without its CPU: RAM, the I/O bus and the devices of DESIGN.md wired together, virtual
// time, and the stop request a run ends on. The CPU reaches it only through the small interfaces
// of CpuBus, so the machine never depends on the CPU.

import { ConsoleBuffer, ConsoleInputQueue, type ConsoleSink } from './console';
import { CmosRtc, CMOS_INDEX_PORT } from './cmosRtc';
import { DebugExit, DEBUG_EXIT_PORT, DEBUG_EXIT_PORT_COUNT } from './debugExit';
import type { InterruptController } from './interrupts';
import { IoBus, type PortIo } from './ioBus';
import { DEC_21140_NIC, I440BX_HOST_BRIDGE } from './pciDevices';
import { PciConfigSpace, PCI_CONFIG_ADDRESS_PORT } from './pciConfig';
import { PhysicalMemory } from './physicalMemory';
import { PIC_MASTER_PORT, PIC_SLAVE_PORT, Pic8259Pair } from './pic8259';
import { PIT_BASE_PORT, Pit8254 } from './pit8254';
import { COM1_BASE_PORT, Uart16550 } from './uart16550';
import { VirtualClock } from './virtualClock';

export const DEFAULT_MEMORY_MIB = 32;

/** Why a run ended; `code` is the process exit status `ringlab run` reports. */
export type StopReason = 'exit' | 'halt' | 'triple-fault' | 'max-instructions' | 'guest-error';
/** `detail` says what happened for reasons the code alone does not explain (a VMM refusing a guest). */
export interface StopRequest { reason: StopReason; code: number; detail?: string }

/** Everything the CPU touches outside itself. */
export interface CpuBus {
  readonly memory: PhysicalMemory;
  readonly io: PortIo;
  readonly pic: InterruptController;
  /** Called by the CPU after retiring instructions; advances virtual time and the timer. */
  tick(instructionsRetired: number): void;
  /** Set once something asked the run to end; the CPU loop checks it after each instruction. */
  readonly stopRequest: StopRequest | null;
  requestStop(reason: StopReason, code: number, detail?: string): void;
}

export interface MachineOptions {
  memoryMiB?: number;
  /** Where guest serial output goes; default a ConsoleBuffer, readable as `machine.console`. */
  consoleSink?: ConsoleSink;
  /** Override the byte reads outside RAM return (default QEMU's, see physicalMemory.ts). */
  unassignedMemoryByte?: number;
  /** Bytes above guest RAM reserved for a hypervisor (never reported to the guest). */
  reservedBytes?: number;
}

/** A source of timed events besides the PIT (a hypervisor's virtual timer), on virtual time. */
export interface TimerSource {
  /** Virtual ns of the next event, or Infinity. */
  readonly nextEventNs: number;
  runDueEvents(nowNs: number): void;
}

export class Machine implements CpuBus {
  readonly memory: PhysicalMemory;
  readonly io = new IoBus();
  readonly clock = new VirtualClock();
  readonly pic = new Pic8259Pair();
  readonly pit: Pit8254;
  readonly uart: Uart16550;
  readonly cmos: CmosRtc;
  readonly pci = new PciConfigSpace();
  readonly consoleInput = new ConsoleInputQueue();
  /** The default sink's buffer; undefined when the host supplied its own sink. */
  readonly console: ConsoleBuffer | undefined;
  private stop: StopRequest | null = null;
  /** A second timer (a hypervisor's), or null. */
  private extraTimer: TimerSource | null = null;

  constructor(options: MachineOptions = {}) {
    const memoryOptions = {
      ...(options.unassignedMemoryByte === undefined ? {} : { unassignedByte: options.unassignedMemoryByte }),
      ...(options.reservedBytes === undefined ? {} : { reservedBytes: options.reservedBytes }),
    };
    this.memory = new PhysicalMemory(options.memoryMiB ?? DEFAULT_MEMORY_MIB, memoryOptions);
    this.console = options.consoleSink === undefined ? new ConsoleBuffer() : undefined;
    const sink = options.consoleSink ?? this.console!;

    this.pit = new Pit8254(this.clock, this.pic);
    this.uart = new Uart16550(sink, this.consoleInput, this.pic);
    this.cmos = new CmosRtc(this.clock, this.memory.guestBytes);
    this.pci.attach(0, 0, 0, I440BX_HOST_BRIDGE);
    this.pci.attach(0, 3, 0, DEC_21140_NIC);
    const debugExit = new DebugExit((code) => this.requestStop('exit', code));

    this.io.register(PIC_MASTER_PORT, 2, this.pic);
    this.io.register(PIC_SLAVE_PORT, 2, this.pic);
    this.io.register(PIT_BASE_PORT, 4, this.pit);
    this.io.register(CMOS_INDEX_PORT, 2, this.cmos);
    this.io.register(COM1_BASE_PORT, 8, this.uart);
    this.io.register(PCI_CONFIG_ADDRESS_PORT, 8, this.pci, 4);
    this.io.register(DEBUG_EXIT_PORT, DEBUG_EXIT_PORT_COUNT, debugExit, 4);
  }

  get stopRequest(): StopRequest | null { return this.stop; }

  /** The first request wins: a guest that exits and then faults still exited. */
  requestStop(reason: StopReason, code: number, detail?: string): void {
    if (this.stop === null) this.stop = detail === undefined ? { reason, code } : { reason, code, detail };
  }

  /** Cheap on the hot path: one add and one compare unless a timer edge is due. */
  tick(instructionsRetired: number): void {
    this.clock.advanceInstructions(instructionsRetired);
    if (this.clock.nowNs >= this.pit.nextEventNs) this.pit.runDueEvents();
    if (this.extraTimer !== null && this.clock.nowNs >= this.extraTimer.nextEventNs) this.extraTimer.runDueEvents(this.clock.nowNs);
  }

  /** Adds a timer that virtual time drives like the PIT (one at most: the hypervisor's). */
  attachTimer(timer: TimerSource): void { this.extraTimer = timer; }

  /** Queues console input for the guest (host side); raises the UART interrupt if enabled. */
  sendInput(bytes: Iterable<number> | string): void {
    this.consoleInput.push(bytes);
    this.uart.inputChanged();
  }

  /** Virtual ns of the next device event, so a halted CPU can skip idle time in one step. */
  nextEventNs(): number {
    const pit = this.pit.nextEventNs;
    return this.extraTimer === null ? pit : Math.min(pit, this.extraTimer.nextEventNs);
  }
}
