// `ringlab lint FILE... [--mode M] [--format text|json]`: the language server's diagnostics for
// CI. Findings go to stdout (they are the command's output, not its failure); the exit status is
// 1 when any diagnostic is an error, so a pipeline can gate on it.

import { DEFAULT_LINT_MODE, lint, type LintDiagnostic } from '../core/lint';
import { MODES, parseMode } from '../core/run/modes';
import type { Command } from './command';
import { readInputText } from './inputFile';
import { NodeSourceFiles } from './nodeFiles';
import { parseCommandArgs, stringOption, UsageError } from './usage';

const NAME = 'lint';

export const lintCommand: Command = {
  name: NAME,
  synopsis: 'lint FILE... [--mode M] [--format text|json]',
  summary: "print the language server's diagnostics",
  available: true,
  help: `Usage: ringlab lint FILE... [--mode M] [--format text|json]

Assembles each FILE and reports assembler errors (RL1xx), privileged instructions (RL201),
sensitive but unprivileged ones (RL202) and I/O instructions (RL203), with the severity the
target mode gives them. A first-line \`; ringlab: mode=M\` in a file wins over --mode; a line
with \`; ringlab-ignore RL202\` silences those codes on it. Exit status 1 if any error.

Options:
  --mode M       ${MODES.join(', ')} (or trap, bt, pv, hw; default ${DEFAULT_LINT_MODE})
  --format F     text (FILE:LINE:COL: severity: message [CODE], the default) or json (an array)`,
  run(args) {
    const parsed = parseCommandArgs(NAME, args, { mode: { type: 'string' }, format: { type: 'string' } });
    if (parsed.positionals.length === 0) throw new UsageError(`missing input file (see ringlab ${NAME} --help)`);
    const modeText = stringOption(parsed, 'mode');
    const mode = modeText === undefined ? DEFAULT_LINT_MODE : parseMode(modeText);
    if (!mode) throw new UsageError(`--mode: unknown mode '${modeText}' (one of ${MODES.join(', ')}, trap, bt, pv, hw)`);
    const format = stringOption(parsed, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format: '${format}' is not text or json`);
    // Read every file first: a missing one is a usage error before any output is printed.
    const sources = parsed.positionals.map((file) => ({ file, text: readInputText(file) }));
    const files = new NodeSourceFiles();
    const all: LintDiagnostic[] = sources.flatMap(({ file, text }) => inLineOrder(lint(text, { file, files, mode })));
    if (format === 'json') process.stdout.write(JSON.stringify(all, null, 2) + '\n');
    else for (const d of all) process.stdout.write(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]\n`);
    return all.some((d) => d.severity === 'error') ? 1 : 0;
  },
};

/**
 * One input's diagnostics as a compiler lists them: the assembler's and the findings together, by
 * line and column, each file (the input, then its includes as they first appear) in turn.
 */
function inLineOrder(ds: readonly LintDiagnostic[]): LintDiagnostic[] {
  const fileRank = new Map<string, number>();
  for (const d of ds) if (!fileRank.has(d.file)) fileRank.set(d.file, fileRank.size);
  return [...ds].sort((a, b) => fileRank.get(a.file)! - fileRank.get(b.file)! || a.line - b.line || a.column - b.column);
}
