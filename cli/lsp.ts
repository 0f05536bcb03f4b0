// `ringlab lsp --stdio`: the language server (language-server/) on stdin/stdout for any LSP
// client. Runs until the client sends `exit` or closes stdin.

import { serveStdio } from '../language-server';
import type { Command } from './command';
import { parseCommandArgs, UsageError } from './usage';

const NAME = 'lsp';

export const lspCommand: Command = {
  name: NAME,
  synopsis: 'lsp --stdio',
  summary: 'the language server for any LSP client',
  available: true,
  help: `Usage: ringlab lsp --stdio

Serves the Language Server Protocol on stdin/stdout: diagnostics (RL1xx assembler errors, RL201
privileged, RL202 sensitive, RL203 I/O, by the target mode), hover, completion, go to
definition, references, rename, outline, folding, semantic tokens and PV quick fixes.
The target mode is the client setting \`ringlab.lint.mode\` (default trap-and-emulate), or a
file's first-line \`; ringlab: mode=M\`.

Options:
  --stdio                 talk LSP over stdin/stdout (the only transport)
  --clientProcessId=PID   exit when that process does (vscode-languageclient passes it)`,
  async run(args) {
    // vscode-languageclient's node-module form adds --clientProcessId=PID; the connection reads
    // it from process.argv itself (it exits when that process does), so it is accepted here.
    const parsed = parseCommandArgs(NAME, args, { stdio: { type: 'boolean' }, clientProcessId: { type: 'string' } });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    if (parsed.values['stdio'] !== true) throw new UsageError('--stdio is required (the only transport)');
    await serveStdio();
    return 0;
  },
};
