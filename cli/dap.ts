// `ringlab dap`: the debug adapter (debug-adapter/) on stdin/stdout for any DAP client. Runs
// until the client closes stdin.

import { serveStdio } from '../debug-adapter';
import type { Command } from './command';
import { parseCommandArgs, UsageError } from './usage';

const NAME = 'dap';

export const dapCommand: Command = {
  name: NAME,
  synopsis: 'dap',
  summary: 'the debug adapter on stdin/stdout for any DAP client',
  available: true,
  help: `Usage: ringlab dap

Serves the Debug Adapter Protocol on stdin/stdout (debug type \`ringlab\`): launch a .gasm
program or a flat binary under any mode, breakpoints on lines, labels, addresses, data and CR3,
exception filters (privileged trap, hole, VM exit, hypercall, translation, guest exception),
stepping into the VMM, registers with the guest's and the hardware's view, memory and disassembly.
Launch fields: program, mode, hypervisor, memory, stopOnEntry, vmcs, maxInstructions, console.
In the debug console, \`>text\` sends text and a newline to the guest's COM1.`,
  async run(args) {
    const parsed = parseCommandArgs(NAME, args, {});
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    await serveStdio();
    return 0;
  },
};
