// Reading and writing the files named on the command line. A missing or unreadable input (past
// MAX_FILE_BYTES too) is a usage error (status 2); a failed write is an error of the command (status 1).

import * as fs from 'node:fs';
import { MAX_FILE_BYTES } from '../core/asm/types';
import { UsageError } from './usage';

export function readInputText(file: string): string {
  return readInput(file).toString('utf8');
}

export function readInputBytes(file: string): Uint8Array {
  const buf = readInput(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

function readInput(file: string): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  try {
    return readAtMost(fd, file);
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`cannot read ${file}: ${describeFsError(e)}`);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The whole input, refused past MAX_FILE_BYTES: a file named on the command line may be a pipe
 * (`/dev/stdin`), so it is read to its end, but a device that never ends (`/dev/zero`) must not
 * take all memory first.
 */
function readAtMost(fd: number, file: string): Buffer {
  const tooLarge = (): UsageError => new UsageError(`cannot read ${file}: larger than ${MAX_FILE_BYTES / (1024 * 1024)} MiB`);
  const st = fs.fstatSync(fd);
  if (st.isFile() && st.size > MAX_FILE_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.max(64 * 1024, st.isFile() ? st.size - total + 1 : 0));
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (total > MAX_FILE_BYTES) throw tooLarge();
    chunks.push(chunk.subarray(0, n));
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
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
