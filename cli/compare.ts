// `ringlab compare FILE`: parses the arguments, hands the file to core/run's compareModes and
// prints its rows as a table (or one JSON object), with the cost model's constants on request.

import {
  compareModes, costTable, describeExit, HYPERVISOR_TYPES, parseHypervisorType,
  type Comparison, type CompareRow,
} from '../core/run';
import type { Command } from './command';
import { reportDiagnostics } from './diagnostics';
import { readInputBytes } from './inputFile';
import { NodeSourceFiles } from './nodeFiles';
import { optionalCount, parseCommandArgs, parseDefines, stringOption, stringOptions, UsageError } from './usage';

const NAME = 'compare';
const SYNOPSIS = 'compare FILE [--hypervisor type1|type2] [--max-instructions N] [--json] [--costs]';
const COST_MODEL_FILE = 'core/hypervisor/costModel.ts';

export const compareCommand: Command = {
  name: NAME,
  synopsis: SYNOPSIS,
  summary: 'run a guest under every mode and compare counts, cycles and output',
  available: true,
  help: `Usage: ringlab ${SYNOPSIS}

Runs FILE (as \`ringlab run\` would) under native, trap-and-emulate, binary-translation,
paravirtual and hardware-assisted, and prints one row per mode: how it ended, whether its
console output equals native's, instructions, traps, translations, hypercalls, VM exits (total
and the most frequent reasons), holes, simulated cycles and their ratio to native, and the
host's wall time and MIPS. Counts are measured; cycles are modelled from the constants in
${COST_MODEL_FILE}, each with its source (--costs lists them). A guest that is not written
for paravirtual (it executes a privileged instruction instead of a hypercall) is shown as
"cannot run (needs a PV port)" under pv, not as a divergence.

Options:
  --hypervisor T         type1 (default) or type2 (a world switch per trap or exit)
  --max-instructions N   stop each run after N instructions (default: no limit)
  --json                 one JSON object: {file, hypervisor, modes: [{mode, available, exit,
                         consoleEqualsNative, stats, holes}], costs}
  --costs                also print the cost model's constants with their basis and source
                         (FILE may then be left out)
  -i, --include DIR      search DIR for %include files (repeatable)
  -D, --define N=V       predefine a macro for the assembler (repeatable)

Exit status:
  0    every mode that could run the guest printed what native printed and ended as it did
  1    a mode diverged (under trap a guest with holes may: the row says "diverged (N holes)"),
       or FILE did not assemble
  2    bad arguments
  126  FILE is not a program`,
  run(args) {
    const parsed = parseCommandArgs(NAME, args, {
      hypervisor: { type: 'string' },
      'max-instructions': { type: 'string' },
      json: { type: 'boolean' },
      costs: { type: 'boolean' },
      include: { type: 'string', short: 'i', multiple: true },
      define: { type: 'string', short: 'D', multiple: true },
    });
    const costs = parsed.values['costs'] === true;
    const json = parsed.values['json'] === true;
    if (parsed.positionals.length > 1) throw new UsageError(`expected one guest file, got ${parsed.positionals.join(' ')}`);
    const file = parsed.positionals[0];
    if (file === undefined) {
      if (!costs) throw new UsageError(`missing guest file (see ringlab ${NAME} --help)`);
      process.stdout.write(json ? JSON.stringify({ costs: costTable() }, null, 2) + '\n' : formatCosts());
      return 0;
    }
    const hvText = stringOption(parsed, 'hypervisor');
    const hypervisor = hvText === undefined ? 'type1' : parseHypervisorType(hvText);
    if (hypervisor === undefined) throw new UsageError(`--hypervisor ${hvText}: expected ${HYPERVISOR_TYPES.join(' or ')}`);
    const maxText = stringOption(parsed, 'max-instructions');
    const maxInstructions = maxText === undefined ? undefined : optionalCount(maxText, '--max-instructions', 0, Number.MAX_SAFE_INTEGER);
    const defines = parseDefines(stringOptions(parsed, 'define'));

    const bytes = readInputBytes(file);
    const comparison = compareModes({ path: file, bytes }, {
      files: new NodeSourceFiles(stringOptions(parsed, 'include')),
      defines,
      hypervisor,
      ...(maxInstructions !== undefined ? { maxInstructions } : {}),
    });
    if (comparison.notBooted !== undefined) {
      if (comparison.notBooted.diagnostics.length > 0) reportDiagnostics(comparison.notBooted.diagnostics);
      else process.stderr.write(`ringlab ${NAME}: ${comparison.notBooted.exit.detail ?? comparison.notBooted.exit.reason}\n`);
    }
    reportDiagnostics(comparison.warnings);
    if (json) process.stdout.write(JSON.stringify(toJson(comparison), null, 2) + '\n');
    else process.stdout.write(formatComparison(comparison) + (costs ? '\n' + formatCosts() : ''));
    return comparison.status;
  },
};

/** The --json object: DESIGN's row fields first, then what the table also shows. */
function toJson(c: Comparison): unknown {
  return {
    file: c.file,
    hypervisor: c.hypervisor,
    status: c.status,
    modes: c.rows.map((r) => ({
      mode: r.mode,
      available: r.available,
      exit: r.exit,
      consoleEqualsNative: r.consoleEqualsNative,
      stats: r.stats,
      holes: r.holes,
      verdict: r.verdict,
      exitEqualsNative: r.exitEqualsNative,
      cyclesRatio: r.cyclesRatio,
      ...(r.note !== undefined ? { note: r.note } : {}),
    })),
    costs: costTable(),
  };
}

const HEADERS = ['mode', 'exit', 'console = native', 'instructions', 'traps', 'translations', 'hypercalls', 'VM exits', 'holes', 'sim. cycles', 'x native', 'wall ms', 'MIPS'];
/** Columns of numbers are right-aligned. */
const NUMERIC = new Set([3, 4, 5, 6, 8, 9, 10, 11, 12]);

export function formatComparison(c: Comparison): string {
  const table: string[][] = [];
  const spans: { at: number; mode: string; text: string }[] = [];
  for (const r of c.rows) {
    if (r.stats === null || r.exit === null || r.verdict === 'not-run' || r.verdict === 'not-available') {
      spans.push({ at: table.length, mode: r.mode, text: r.note ?? r.verdict });
      continue;
    }
    if (r.verdict === 'needs-pv-port') {
      // The counts of a run the VMM refused at its first privileged instruction mean nothing.
      spans.push({ at: table.length, mode: r.mode, text: `${describeExit(r.exit)}  ${r.note ?? 'cannot run (needs a PV port)'}` });
      continue;
    }
    const s = r.stats;
    table.push([
      r.mode,
      describeExit(r.exit),
      consoleCell(r),
      group(s.instructions),
      group(s.traps),
      group(s.translations),
      group(s.hypercalls),
      exitsCell(s.vmExits),
      group(r.holes.length),
      group(s.simulatedCycles),
      r.cyclesRatio === null ? '-' : ratio(r.cyclesRatio),
      s.wallMs.toFixed(1),
      s.mips.toFixed(2),
    ]);
  }
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length), ...(i === 0 ? spans.map((sp) => sp.mode.length) : [])));
  const spanLine = (sp: { mode: string; text: string }): string => `${sp.mode.padEnd(widths[0]!)}  ${sp.text}`;
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (NUMERIC.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [`ringlab compare ${c.file} (hypervisor ${c.hypervisor})`, '', line(HEADERS)];
  let spanAt = 0;
  table.forEach((row, i) => {
    while (spanAt < spans.length && spans[spanAt]!.at === i) out.push(spanLine(spans[spanAt++]!));
    out.push(line(row));
  });
  while (spanAt < spans.length) out.push(spanLine(spans[spanAt++]!));
  out.push('', summary(c), '',
    `Counts are measured (the emulator counted each event); cycles are modelled: counts x constants in ${COST_MODEL_FILE},`,
    'each with its published source or basis (ringlab compare --costs lists them). Wall ms and MIPS are this host\'s.');
  return out.join('\n') + '\n';
}

function consoleCell(r: CompareRow): string {
  switch (r.verdict) {
    case 'reference': return 'reference';
    case 'equal': return 'yes';
    case 'needs-pv-port': return 'cannot run (needs a PV port)';
    default: {
      const holes = r.holes.length > 0 ? `diverged (${r.holes.length} hole${r.holes.length === 1 ? '' : 's'})` : 'diverged';
      return r.consoleEqualsNative === true ? `yes, but exit ${holes}` : `no: ${holes}`;
    }
  }
}

/** `0`, or `12 (IO_INSTRUCTION 10, HLT 2)`: the total and the three most frequent reasons. */
function exitsCell(exits: Record<string, number>): string {
  const entries = Object.entries(exits).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = entries.reduce((n, [, v]) => n + v, 0);
  if (total === 0) return '0';
  const top = entries.slice(0, 3).map(([name, n]) => `${name} ${group(n)}`).join(', ');
  return `${group(total)} (${top}${entries.length > 3 ? ', ...' : ''})`;
}

function summary(c: Comparison): string {
  if (c.notBooted !== undefined) return `The guest did not start (${describeExit(c.notBooted.exit)}): nothing to compare.`;
  const ran = c.rows.filter((r) => r.verdict === 'equal' || r.verdict === 'diverged');
  const diverged = c.rows.filter((r) => r.verdict === 'diverged');
  const missing = c.rows.filter((r) => r.verdict === 'not-available').map((r) => r.mode);
  const parts: string[] = [];
  if (diverged.length === 0) parts.push(`Every mode that ran (${ran.length} besides native) printed what native printed.`);
  else {
    parts.push(`${diverged.length} mode${diverged.length === 1 ? '' : 's'} diverged from native: ${diverged.map((r) => r.mode).join(', ')}.`);
    if (diverged.some((r) => r.mode === 'trap-and-emulate' && r.holes.length > 0)) {
      parts.push('Under trap-and-emulate that is expected for a guest with holes (sensitive instructions that do not trap).');
    }
  }
  if (missing.length > 0) parts.push(`Not available in this build: ${missing.join(', ')}.`);
  return parts.join(' ');
}

export function formatCosts(): string {
  const rows = Object.entries(costTable()).map(([name, c]) => [name, group(c.cycles), c.basis, c.source]);
  const head = ['constant', 'cycles', 'basis', 'source'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [`Cost model (${COST_MODEL_FILE}): published = a figure from the source; derived = computed from published ones; modelled = no published figure`, '', line(head), ...rows.map(line)].join('\n') + '\n';
}

/** 1234567 -> 1,234,567 (not the host's locale: the output must not depend on it). */
function group(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function ratio(x: number): string {
  return x >= 100 ? `${x.toFixed(0)}x` : x >= 10 ? `${x.toFixed(1)}x` : `${x.toFixed(2)}x`;
}

