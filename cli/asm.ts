// `ringlab asm FILE.gasm [-o OUT.bin]`: the built-in assembler, bytes identical to `nasm -f bin`.

import * as path from 'node:path';
import * as v8 from 'node:v8';
import { assemble } from '../core/asm';
import type { Command } from './command';
import { reportDiagnostics } from './diagnostics';
import { OutputError, readInputText, writeOutput } from './inputFile';
import { NodeSourceFiles } from './nodeFiles';
import { onePositional, parseCommandArgs, parseDefines, stringOption, stringOptions, UsageError } from './usage';

const NAME = 'asm';

export const asmCommand: Command = {
  name: NAME,
  synopsis: 'asm FILE.gasm [-o OUT.bin] [-l LISTING] [-i DIR] [-D NAME=VALUE]',
  summary: 'assemble NASM-syntax guest code into a flat binary (as nasm -f bin)',
  available: true,
  help: `Usage: ringlab asm FILE.gasm [options]

Assembles FILE (NASM syntax) into a flat binary, byte for byte what \`nasm -f bin\` writes.
Errors and warnings go to stderr as FILE:LINE:COL: error: message [RL1xx].

Options:
  -o, --output OUT   output file (default: FILE with its extension replaced by .bin)
  -l, --listing LST  also write a listing: address, bytes, source line
  -i, --include DIR  search DIR for %include files (repeatable)
  -D, --define N=V   predefine a single-line macro, as nasm -D (repeatable)

Exit status: 0 when assembled (warnings allowed), 1 on any error, 2 on bad arguments.`,
  run(args) {
    const parsed = parseCommandArgs(NAME, args, {
      output: { type: 'string', short: 'o' },
      listing: { type: 'string', short: 'l' },
      include: { type: 'string', short: 'i', multiple: true },
      define: { type: 'string', short: 'D', multiple: true },
    });
    const file = onePositional(NAME, parsed, 'input file');
    const output = stringOption(parsed, 'output') ?? defaultOutput(file);
    const listing = stringOption(parsed, 'listing');
    const defines = parseDefines(stringOptions(parsed, 'define'));
    if (path.resolve(output) === path.resolve(file)) {
      throw new UsageError(`the output ${output} would overwrite the input; give another -o`);
    }

    const source = readInputText(file);
    tuneCompilerForOneShot();
    const result = assemble(source, { file, files: new NodeSourceFiles(stringOptions(parsed, 'include')), defines });
    const errors = reportDiagnostics(result.diagnostics);
    if (errors > 0 || !result.ok) return 1;
    try {
      writeOutput(output, result.bytes);
      if (listing !== undefined) {
        // Required here, not imported: the listing brings the disassembler, which a plain
        // `ringlab asm` would otherwise load and initialise for nothing (startup is measured).
        const { formatListing } = require('./listing') as typeof import('./listing');
        writeOutput(listing, formatListing(source, file, result, { disassembly: false }).join('\n') + '\n');
      }
    } catch (e) {
      if (e instanceof OutputError) {
        process.stderr.write(`ringlab asm: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    return 0;
  },
};

/**
 * `ringlab asm` is a process of well under a second, and V8's optimizing compiler spent about a
 * third of its CPU time (perf: background TurboFan threads) inlining the parser and encoder into
 * one another, on code that then runs for a few hundred milliseconds. Without inlining the
 * compiles are far cheaper and the run is no slower: bench file (100,000 lines), 9 interleaved
 * runs, median CPU 1080 -> 950 ms, wall 770 -> 700 ms. Only compiles after this call are affected.
 */
function tuneCompilerForOneShot(): void {
  v8.setFlagsFromString('--no-turbo-inlining');
}

/** `dir/boot.gasm` -> `dir/boot.bin`, as NASM names its output. */
export function defaultOutput(file: string): string {
  const ext = path.extname(file);
  return ext === '' || ext === '.bin' ? `${file}.bin` : file.slice(0, -ext.length) + '.bin';
}
