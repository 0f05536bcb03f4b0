// `ringlab demo` (what `npm start` runs): assembles examples/hello.gasm with the built-in
// assembler, shows the listing with the disassembly beside it, then boots it on the machine.

import * as path from 'node:path';
import { assemble } from '../core/asm';
import { compareModes, runGuest } from '../core/run';
import { formatComparison } from './compare';
import type { Command } from './command';
import { reportDiagnostics } from './diagnostics';
import { readInputText } from './inputFile';
import { formatListing } from './listing';
import { NodeSourceFiles } from './nodeFiles';
import { hex32, parseCommandArgs } from './usage';

const NAME = 'demo';
/** Enough for the examples; a demo on an endless guest still ends. */
const DEMO_BUDGET = 50_000_000;

/** examples/ beside dist/ (the bundle) or beside out/cli/ (compiled by tsc for tests). */
function defaultExample(): string {
  const fs = require('node:fs') as typeof import('node:fs');
  const candidates = [path.resolve(__dirname, '..', 'examples', 'hello.gasm'), path.resolve(__dirname, '..', '..', 'examples', 'hello.gasm')];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}

export const demoCommand: Command = {
  name: NAME,
  synopsis: 'demo [FILE.gasm]',
  summary: 'assemble examples/hello.gasm, show its listing beside the disassembly, and run it',
  available: true,
  help: `Usage: ringlab demo [FILE.gasm]

Assembles FILE (default: examples/hello.gasm) with RingLab's assembler and prints each line's
address, bytes and source, with the disassembly of the bytes beside it; then boots it under
the native mode, as \`ringlab run\` does, and shows its console and how it ended; last, runs it
under every virtualization mode, as \`ringlab compare\` does.`,
  run(args) {
    const parsed = parseCommandArgs(NAME, args, {});
    const absFile = parsed.positionals[0] ?? defaultExample();
    const file = path.relative(process.cwd(), absFile) || absFile;
    const source = readInputText(file);
    const files = new NodeSourceFiles();
    const result = assemble(source, { file, files });
    if (reportDiagnostics(result.diagnostics) > 0 || !result.ok) return 1;

    const out = [
      `RingLab demo: ${file}`,
      `assembled by RingLab's built-in assembler: ${result.bytes.length} bytes at ${hex32(result.origin)}`,
      '',
      ...formatListing(source, file, result, { disassembly: true, readSource: (f) => files.read(f) }),
      '',
      'The bytes are what `nasm -f bin` writes for the same file (`ringlab asm` produces them).',
      '',
      `Running ${file} under --mode native (a budget of ${DEMO_BUDGET} instructions):`,
    ];
    process.stdout.write(out.join('\n') + '\n');
    const outcome = runGuest({ path: file, bytes: Buffer.from(source) }, {
      files, maxInstructions: DEMO_BUDGET, onConsole: (bytes) => { process.stdout.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)); },
    });
    const instructions = outcome.booted ? outcome.run.report().stats.instructions : 0;
    process.stdout.write(
      `guest stopped: ${outcome.exit.reason}${outcome.exit.detail ? ` (${outcome.exit.detail})` : ''}, ` +
        `exit status ${outcome.exit.code}, ${instructions} instructions\n\n` +
      `The same guest under every mode (ringlab compare ${file}):\n`);
    const comparison = compareModes({ path: file, bytes: Buffer.from(source) }, { files, maxInstructions: DEMO_BUDGET });
    process.stdout.write(formatComparison(comparison) + '\n');
    return 0;
  },
};
