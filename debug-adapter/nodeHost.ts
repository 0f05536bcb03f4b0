// Host file access for core/debug under Node: the program's bytes and %include files.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugHost } from '../core/debug';

export const nodeHost: DebugHost = {
  readFile(file: string): Uint8Array | undefined {
    try {
      return fs.readFileSync(file);
    } catch {
      return undefined;
    }
  },
  sourceFiles: {
    read(file: string): string | undefined {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    resolve(from: string, name: string): string {
      return path.isAbsolute(name) ? name : path.resolve(path.dirname(from), name);
    },
  },
};

/** Paths compare resolved (and case-folded on Windows and macOS, whose file systems usually fold). */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string): string => {
    const r = path.resolve(p);
    return process.platform === 'linux' ? r : r.toLowerCase();
  };
  return norm(a) === norm(b);
}
