// How the server's analyses reach files: an open document's text (unsaved edits included) wins
// over the disk, so an edit to an %included file is seen by the files that include it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SourceFiles } from '../core/asm/types';

export class WorkspaceFiles implements SourceFiles {
  /** Open documents by file path, and the URI the client used for each. */
  private readonly open = new Map<string, { uri: string; text: () => string }>();

  setOpen(uri: string, text: () => string): void { this.open.set(uriToFile(uri), { uri, text }); }
  setClosed(uri: string): void { this.open.delete(uriToFile(uri)); }
  isOpen(file: string): boolean { return this.open.has(file); }

  read(file: string): string | undefined {
    const doc = this.open.get(file);
    if (doc) return doc.text();
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
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
