// The Node implementation of core's SourceFiles: how %include and incbin reach the host file
// system. Core never touches `fs`; the CLI (and tests) hand it this.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_FILE_BYTES, type FileRefused, type SourceFiles } from '../core/asm/types';

export class NodeSourceFiles implements SourceFiles {
  /** Extra directories searched after the including file's own (NASM's `-i`). */
  constructor(private readonly includeDirs: readonly string[] = []) {}

  read(file: string): string | undefined {
    return readRegularText(file);
  }

  readBytes(file: string, offset: number, length: number): Uint8Array | FileRefused | undefined {
    return readRegularFile(file, offset, length);
  }

  resolve(from: string, name: string): string {
    if (path.isAbsolute(name)) return name;
    // NASM looks in the current directory first, then in each -i directory; a file included
    // from another file is most naturally found beside it, so that directory comes first.
    const candidates = [path.join(path.dirname(from), name), name, ...this.includeDirs.map((d) => path.join(d, name))];
    return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
  }
}

// O_NONBLOCK: opening a FIFO that replaced the file after the stat must not wait for a writer.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Bytes [offset, offset + length) of a regular file (all of it by default): undefined when it
 * cannot be opened, FileRefused when it is not a regular file (a device such as /dev/zero, a FIFO,
 * a socket, /dev/stdin: reading one may never end or block) or when that part is larger than
 * MAX_FILE_BYTES. Anything else is never opened, let alone read.
 */
export function readRegularFile(file: string, offset = 0, length = Infinity): Uint8Array | FileRefused | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return undefined; // as before: "unable to open"
  if (!st.isFile()) return NOT_REGULAR;
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const now = fs.fstatSync(fd);
    if (!now.isFile()) return NOT_REGULAR;
    const from = Math.min(offset, now.size);
    const size = Math.min(now.size, from + length) - from;
    if (size > MAX_FILE_BYTES) return { refused: `${size} bytes, over the ${MAX_FILE_BYTES / (1024 * 1024)} MiB limit` };
    const buf = Buffer.alloc(size);
    let got = 0;
    // A file that shrinks meanwhile ends the read early; one that grows is read to the size seen.
    while (got < size) {
      const n = fs.readSync(fd, buf, got, size - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, got);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

const NOT_REGULAR: FileRefused = { refused: 'not a regular file' };

/** A regular file's text (UTF-8), or undefined when readRegularFile gives no bytes. */
export function readRegularText(file: string): string | undefined {
  const bytes = readRegularFile(file);
  return bytes instanceof Uint8Array ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8') : undefined;
}
