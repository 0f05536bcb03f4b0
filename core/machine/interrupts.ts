// The two small interfaces that connect interrupt sources, the interrupt controller and the CPU,
// so the CPU and the devices never depend on the 8259 itself.

/** What the CPU asks between instructions when IF = 1 (and what HLT waits on). */
export interface InterruptController {
  /** True when an unmasked request outranks everything in service: INTR is asserted. */
  hasPendingInterrupt(): boolean;
  /** The INTA cycle: returns the vector to deliver and marks it in service. */
  acknowledge(): number;
}

/** What a device drives: an ISA IRQ line (0-15), edge-triggered unless the controller says level. */
export interface IrqLines {
  raiseIrq(irq: number): void;
  lowerIrq(irq: number): void;
}
