// `ringlab dap`: the debug adapter (debug-adapter/) on stdin/stdout for any DAP client. Runs
// until the client closes stdin.

import { serveStdio, serveTcp } from '../debug-adapter';
import type { Command } from './command';
import { parseCommandArgs, UsageError } from './usage';

const NAME = 'dap';

export const dapCommand: Command = {
  name: NAME,
  synopsis: 'dap [--server=PORT]',
  summary: 'the debug adapter on stdin/stdout for any DAP client',
  available: true,
  help: `Usage: ringlab dap

Serves the Debug Adapter Protocol on stdin/stdout (debug type \`ringlab\`): launch a .gasm
program or a flat binary under any mode, breakpoints on lines, labels, addresses, data and CR3,
exception filters (privileged trap, hole, VM exit, hypercall, translation, guest exception),
stepping into the VMM, registers with the guest's and the hardware's view, memory and disassembly.
Launch fields: program, mode, hypervisor, memory, stopOnEntry, vmcs, maxInstructions, console.
In the debug console, \`>text\` sends text and a newline to the guest's COM1.

Options:
  --server=PORT  serve a session per TCP connection on 127.0.0.1:PORT instead of stdin/stdout
                 (0 picks a free port; the port is printed on stderr)`,
  async run(args) {
    const parsed = parseCommandArgs(NAME, args, { server: { type: 'string' } });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    const server = parsed.values['server'];
    if (typeof server === 'string') {
      if (!/^\d{1,5}$/.test(server) || Number(server) > 65535) throw new UsageError(`--server: '${server}' is not a port number`);
      await serveTcp(Number(server), (port) => process.stderr.write(`ringlab dap: listening on 127.0.0.1:${port}\n`));
      return 0;
    }
    await serveStdio();
    return 0;
  },
};
