// Lints the workspace's guest files while the server is idle, before the editor opens them: the
// extension starts the server when a workspace with .gasm files opens, and a user then opens one
// of those files. Its analysis is then ready (Analyses.prepare): the first diagnostics cost the
// protocol's round trip, not a lint (`npm run bench -- lsp`, 50,000 lines: 56 ms against 164).
// Bounded (LIMITS), for a workspace that is a home directory or a monorepo: the walk skips dot
// directories and node_modules and stops after 20,000 names; the analyses kept total at most
// 200,000 lines (a 50,000-line file's takes about 14 MB of heap); a file over 8 MiB, or one that
// would pass that total, is linted when it opens.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { lineEndAt, lineEndLength } from '../core/asm/preprocess';

export const GUEST_EXTENSION = '.gasm';
export const LIMITS = {
  /** Directory entries the walk reads, over every folder. */
  entries: 20_000,
  /** Lines of all the analyses made ahead; also the bound of all those Analyses keeps for files
   * not open, made ahead or kept when a document closed (the oldest go first). */
  lines: 200_000,
  /** A file larger than this is linted when it opens. */
  fileBytes: 8 * 1024 * 1024,
};
export type Limits = typeof LIMITS;

/** What the walk found, as it goes: a guest file's path, with its text, or the end. */
export interface GuestFile { readonly file: string; readonly text: string; readonly lines: number }

/**
 * The guest files under `folders` (breadth-first, names sorted in each directory), with their text,
 * within `limits`. A generator, so that the caller reads one directory or one file per step.
 */
export function* guestFilesIn(folders: readonly string[], limits: Limits = LIMITS): Generator<GuestFile, void, void> {
  const dirs = [...folders];
  let entries = 0;
  let lines = 0;
  while (dirs.length > 0) {
    const dir = dirs.shift()!;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // gone, or not ours to read
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of names) {
      if (++entries > limits.entries) return;
      const full = path.join(dir, d.name);
      // Symbolic links are not followed: no cycles, no walking out of the workspace.
      if (d.isDirectory()) {
        if (walked(d.name)) dirs.push(full);
        continue;
      }
      if (!d.isFile() || !d.name.endsWith(GUEST_EXTENSION)) continue;
      const text = readSmall(full, limits.fileBytes);
      if (text === undefined) continue;
      const n = lineCount(text);
      if (lines + n > limits.lines) continue;
      lines += n;
      yield { file: full, text, lines: n };
    }
  }
}

/** A directory the walk enters: not a dot folder (.git, .vscode), not node_modules. */
function walked(name: string): boolean {
  return !name.startsWith('.') && name !== 'node_modules';
}

/**
 * The guest files among `changed` (paths a file watcher reported) that the walk of `folders`
 * would take: under a folder, not under a directory it skips, a file itself (not a link), within
 * `limits`; with their text as it is now. A file deleted since is left out.
 */
export function* guestFilesAmong(changed: readonly string[], folders: readonly string[], limits: Limits = LIMITS): Generator<GuestFile, void, void> {
  let lines = 0;
  for (const file of new Set(changed)) {
    if (!file.endsWith(GUEST_EXTENSION)) continue;
    const inWorkspace = folders.some((folder) => {
      const rel = path.relative(folder, file);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && path.dirname(rel).split(path.sep).every((d) => d === '.' || walked(d));
    });
    if (!inWorkspace) continue;
    try {
      if (!fs.lstatSync(file).isFile()) continue;
    } catch {
      continue;
    }
    const text = readSmall(file, limits.fileBytes);
    if (text === undefined) continue;
    const n = lineCount(text);
    if (lines + n > limits.lines) continue;
    lines += n;
    yield { file, text, lines: n };
  }
}

/**
 * Takes one guest file of `found` per event-loop turn while `busy()` is false (a lint the editor
 * waits for goes first), handing each that `isOpen` does not claim to `prepare`. Resolves with the
 * number of files and lines prepared when `found` ends.
 */
export function lintAheadWhileIdle(
  found: Iterator<GuestFile, void, void>, busy: () => boolean, isOpen: (file: string) => boolean,
  prepare: (file: string, text: string) => void,
): Promise<{ files: number; lines: number }> {
  let files = 0;
  let lines = 0;
  return new Promise((resolve) => {
    const step = (): void => {
      if (busy()) { setTimeout(step, BUSY_RETRY_MS); return; }
      const next = found.next();
      if (next.done) { resolve({ files, lines }); return; }
      const g = next.value;
      if (!isOpen(g.file)) {
        try {
          prepare(g.file, g.text);
          files++;
          lines += g.lines;
        } catch {
          // core does not throw on bad source; if it did, the file is linted when it opens.
        }
      }
      setImmediate(step);
    };
    setImmediate(step);
  });
}

/** How long a busy server makes the walk wait before it looks again. */
const BUSY_RETRY_MS = 50;

function readSmall(file: string, maxBytes: number): string | undefined {
  try {
    if (fs.statSync(file).size > maxBytes) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The lines of `text`, as an editor and the assembler count them (one more than its line ends). */
export function lineCount(text: string): number {
  let n = 1;
  for (let at = lineEndAt(text, 0); at < text.length; at = lineEndAt(text, at + lineEndLength(text, at))) n++;
  return n;
}
