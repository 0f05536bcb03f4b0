// Test kernels: NASM sources with committed `nasm -f bin` output, so tests run without NASM;
// with RINGLAB_LIVE_ORACLE=1 and nasm on PATH, the committed bytes are checked against NASM.

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../../support/tempDir';

/** Compiled tests run from out/test/unit/machine; sources stay in test/unit/machine/fixtures. */
export const FIXTURES_DIR = path.resolve(__dirname, '../../../../test/unit/machine/fixtures');

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(FIXTURES_DIR, `${name}.bin`)));
}

export function fixtureText(fileName: string): string {
  return fs.readFileSync(path.join(FIXTURES_DIR, fileName), 'latin1');
}

export function liveOracle(): boolean {
  return process.env['RINGLAB_LIVE_ORACLE'] === '1';
}

export function toolAvailable(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Assembles fixtures/<name>.asm with NASM into a temporary file and returns the bytes. */
export function assembleWithNasm(name: string): Uint8Array {
  const outPath = path.join(tempDir('machine'), `${name}.bin`);
  execFileSync('nasm', ['-f', 'bin', '-w-zeroing', path.join(FIXTURES_DIR, `${name}.asm`), '-o', outPath]);
  return new Uint8Array(fs.readFileSync(outPath));
}

/** Runs a fixture kernel under qemu-system-i386 as DESIGN.md's conformance command does. */
export function runUnderQemu(name: string, memoryMiB = 32): string {
  try {
    return execFileSync('qemu-system-i386', ['-kernel', `${name}.bin`, '-m', String(memoryMiB),
      '-display', 'none', '-serial', 'stdio', '-monitor', 'none',
      '-device', 'isa-debug-exit,iobase=0xf4,iosize=4'],
      // stdin closed: QEMU's stdio serial would otherwise feed the test runner's input to the guest.
      { cwd: FIXTURES_DIR, timeout: 20000, stdio: ['ignore', 'pipe', 'pipe'] }).toString('latin1');
  } catch (error) {
    // isa-debug-exit makes QEMU exit non-zero by design; its stdout is still the transcript.
    const stdout = (error as { stdout?: Buffer }).stdout;
    if (stdout === undefined) throw error;
    return stdout.toString('latin1');
  }
}
