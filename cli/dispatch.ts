// Picks the subcommand, turns usage errors into exit status 2 with a message, and keeps stack
// traces for real bugs only (RINGLAB_DEBUG=1 shows them). cli/main.ts runs it; tests call main().

import type { Command } from './command';
import { wantsHelp } from './command';
import { laterCommands } from './notYet';
import { isUsageError } from './usage';

/**
 * Each command's module is required only when that command runs (or for the full --help): a
 * process pays for compiling and initialising the code it uses, so `ringlab asm` does not load
 * the CPU, the decoder tables or the listing. scripts/build.mjs bundles each of these modules
 * into its own file beside dist/ringlab.js and leaves these require calls to Node.
 */
interface LazyCommand { readonly name: string; load(): Command }

const COMMANDS: readonly LazyCommand[] = [
  { name: 'asm', load: () => (require('./asm') as typeof import('./asm')).asmCommand },
  { name: 'disasm', load: () => (require('./disasm') as typeof import('./disasm')).disasmCommand },
  { name: 'run', load: () => (require('./run') as typeof import('./run')).runCommand },
  { name: 'lint', load: () => (require('./lint') as typeof import('./lint')).lintCommand },
  { name: 'lsp', load: () => (require('./lsp') as typeof import('./lsp')).lspCommand },
  { name: 'compare', load: () => (require('./compare') as typeof import('./compare')).compareCommand },
  { name: 'dap', load: () => (require('./dap') as typeof import('./dap')).dapCommand },
  ...laterCommands.map((c) => ({ name: c.name, load: () => c })),
  { name: 'demo', load: () => (require('./demo') as typeof import('./demo')).demoCommand },
];

declare const RINGLAB_VERSION: string | undefined;

function version(): string {
  return typeof RINGLAB_VERSION === 'string' ? RINGLAB_VERSION : 'dev';
}

function usage(): string {
  const lines = COMMANDS.map((lazy) => lazy.load()).flatMap((c) => [
    `  ringlab ${c.synopsis}`,
    `      ${c.summary}${c.available ? '' : ' (not yet available)'}`,
  ]);
  return [
    'RingLab: write, lint and debug x86 guest code under a hypervisor.',
    '',
    'Usage:',
    ...lines,
    '',
    '`ringlab COMMAND --help` shows the options of a command; `ringlab --version` the version.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0])?.load() : undefined;
    process.stdout.write((topic ? topic.help : usage()) + '\n');
    if (name === undefined) return 2;
    return 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`ringlab ${version()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name)?.load();
  if (!command) {
    process.stderr.write(`ringlab: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(command.help + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (isUsageError(e)) {
      process.stderr.write(`ringlab ${name}: ${e.message}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`ringlab ${name}: internal error: ${message}\n`);
    if (process.env['RINGLAB_DEBUG'] === '1' && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
    else process.stderr.write('(set RINGLAB_DEBUG=1 to see where; please report it)\n');
    return 70;
  }
}
