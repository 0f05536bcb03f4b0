// NASM as the outside oracle: assemble source text with `nasm -f bin` and hand back the bytes
// (and, on request, the listing). Tests skip when NASM is missing, except under
// RINGLAB_LIVE_ORACLE=1 (CI), where a missing NASM fails them: an oracle that did not run is no pass.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** True when RINGLAB_LIVE_ORACLE=1: compare against NASM live, and fail if it is missing. */
export function liveOracle(): boolean {
  return process.env['RINGLAB_LIVE_ORACLE'] === '1';
}

let available: boolean | undefined;

/** Whether `nasm` runs on this machine (checked once). */
export function nasmAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync('nasm', ['-v'], { encoding: 'utf8' });
    available = r.status === 0;
  }
  return available;
}

export class NasmError extends Error {}

export interface NasmOutput {
  readonly bytes: Uint8Array;
  /** `nasm -l` listing (empty unless asked for). */
  readonly listing: string;
  /** Warnings NASM printed. */
  readonly stderr: string;
}

/**
 * Assembles `source` with `nasm -f bin`. Undefined when NASM is not installed; throws a NasmError
 * with NASM's messages when NASM rejects the source.
 */
export function runNasm(source: string, options: { listing?: boolean; args?: readonly string[] } = {}): NasmOutput | undefined {
  if (!nasmAvailable()) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-nasm-'));
  try {
    const input = path.join(dir, 'in.asm');
    const output = path.join(dir, 'out.bin');
    const listing = path.join(dir, 'out.lst');
    fs.writeFileSync(input, source);
    const args = ['-f', 'bin', ...(options.args ?? []), input, '-o', output, ...(options.listing ? ['-l', listing] : [])];
    const r = spawnSync('nasm', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new NasmError(`nasm failed (${r.status}): ${(r.stderr || r.error?.message || '').trim()}`);
    return {
      bytes: new Uint8Array(fs.readFileSync(output)),
      listing: options.listing ? fs.readFileSync(listing, 'utf8') : '',
      stderr: r.stderr,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** NASM's bytes for `source`, or undefined when NASM is not installed. */
export function nasmBytes(source: string): Uint8Array | undefined {
  return runNasm(source)?.bytes;
}

/**
 * For a test that needs NASM: returns true when it may go on. Without NASM the test is skipped,
 * unless the live oracle is on, where it fails.
 */
export function requireNasm(ctx: Mocha.Context): boolean {
  if (nasmAvailable()) return true;
  if (liveOracle()) throw new Error('RINGLAB_LIVE_ORACLE=1 but nasm is not installed (apt-get install nasm)');
  ctx.skip();
  return false;
}
