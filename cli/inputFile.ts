// Reading and writing the files named on the command line. A missing input is a usage error
// (status 2); a failed write is an error of the command (status 1).

import * as fs from 'node:fs';
import { UsageError } from './usage';

export function readInputText(file: string): string {
  return readInput(file).toString('utf8');
}

export function readInputBytes(file: string): Uint8Array {
  const buf = readInput(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

function readInput(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${describeFsError(e)}`);
  }
}

export class OutputError extends Error {}

export function writeOutput(file: string, bytes: Uint8Array | string): void {
  try {
    fs.writeFileSync(file, bytes);
  } catch (e) {
    throw new OutputError(`cannot write ${file}: ${describeFsError(e)}`);
  }
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
