// QEMU's isa-debug-exit at 0xF4 (iosize 4): writing v asks the machine to stop with exit code
// (v << 1) | 1, so a guest can end a run with a status, and 0 can never mean "the guest said so".

import type { IoDevice } from './ioBus';

export const DEBUG_EXIT_PORT = 0xf4;
export const DEBUG_EXIT_PORT_COUNT = 4;

export class DebugExit implements IoDevice {
  constructor(private readonly requestExit: (exitCode: number) => void) {}

  ioRead(): number { return 0; } // measured on qemu-system-i386: reads 0

  ioWrite(_port: number, value: number): void {
    // Arithmetic, not `<<`, so a 32-bit value keeps its top bit: QEMU computes it in 64 bits.
    this.requestExit((value >>> 0) * 2 + 1);
  }
}
