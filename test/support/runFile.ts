// Runs a guest file from the repository (an example or a conformance kernel, with its %include
// files) under a mode, in process: the tests of every engine compare runs made this way.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeSourceFiles } from '../../cli/nodeFiles';
import { runGuest, type GuestOutcome, type GuestRunOptions, type Mode } from '../../core/run';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const EXAMPLES = path.join(REPO, 'examples');
export const KERNELS = path.join(REPO, 'test', 'oracle', 'kernels');

/** Every .gasm directly in `dir`, as absolute paths. */
export function gasmFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.gasm')).sort().map((f) => path.join(dir, f));
}

export interface FileRun { readonly console: string; readonly status: number; readonly reason: string; readonly outcome: GuestOutcome }

/** Runs `file` under `mode` (default budget 50 M instructions: a guest that hangs fails, never stalls). */
export function runFile(file: string, mode: Mode, options: GuestRunOptions = {}): FileRun {
  const outcome = runGuest({ path: file, bytes: fs.readFileSync(file) }, {
    files: new NodeSourceFiles([EXAMPLES + path.sep]),
    maxInstructions: 50_000_000,
    ...options,
    mode,
  });
  const console = outcome.booted ? outcome.run.report().console : '';
  return { console, status: outcome.exit.code, reason: outcome.exit.reason, outcome };
}
