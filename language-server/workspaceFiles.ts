// How the server's analyses reach files: an open document's text (unsaved edits included) wins
// over the disk, so an edit to an %included file is seen by the files that include it. Only
// regular files are read from disk, and not past MAX_FILE_BYTES: a device (/dev/zero) would
// never end and stop the server answering.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MAX_FILE_BYTES, type FileRefused, type SourceFiles } from '../core/asm/types';
// The disk side is the CLI's, so the editor and `ringlab asm` read (and refuse) files alike.
import { readRegularFile, readRegularText } from '../cli/nodeFiles';

export class WorkspaceFiles implements SourceFiles {
  /** Open documents by file path, and the URI the client used for each. */
  private readonly open = new Map<string, { uri: string; text: () => string }>();

  setOpen(uri: string, text: () => string): void { this.open.set(uriToFile(uri), { uri, text }); }
  setClosed(uri: string): void { this.open.delete(uriToFile(uri)); }
  isOpen(file: string): boolean { return this.open.has(file); }

  read(file: string): string | undefined {
    const doc = this.open.get(file);
    if (doc) return doc.text();
    return readRegularText(file);
  }

  readBytes(file: string, offset: number, length: number): Uint8Array | FileRefused | undefined {
    const doc = this.open.get(file);
    if (!doc) return readRegularFile(file, offset, length);
    // What the editor would save: its text as UTF-8.
    const all = Buffer.from(doc.text(), 'utf8');
    const from = Math.min(offset, all.length);
    const size = Math.min(all.length, from + length) - from;
    if (size > MAX_FILE_BYTES) return { refused: `${size} bytes, over the ${MAX_FILE_BYTES / (1024 * 1024)} MiB limit` };
    return new Uint8Array(all.buffer, all.byteOffset + from, size);
  }

  resolve(from: string, name: string): string {
    if (path.isAbsolute(name)) return name;
    // As `ringlab asm`: beside the including file first, then the working directory.
    const candidates = [path.join(path.dirname(from), name), path.resolve(name)];
    return candidates.find((c) => this.open.has(c) || fs.existsSync(c)) ?? candidates[0]!;
  }

  /** What a file is on disk, to tell later whether it changed: its size and time, or '' if absent. */
  stamp(file: string): string {
    try {
      const st = fs.statSync(file);
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return '';
    }
  }

  /** The URI to show a file under: the client's own for an open document. */
  uriOf(file: string): string {
    return this.open.get(file)?.uri ?? (path.isAbsolute(file) ? pathToFileURL(file).href : file);
  }
}

/** The file path of a `file:` URI; other schemes (untitled:) keep the URI as their name. */
export function uriToFile(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}
