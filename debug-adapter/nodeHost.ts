// Host file access for core/debug under Node: the program's bytes and %include files.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeSourceFiles } from '../cli/nodeFiles';
import type { DebugHost } from '../core/debug';

export const nodeHost: DebugHost = {
  readFile(file: string): Uint8Array | undefined {
    try {
      return fs.readFileSync(file);
    } catch {
      return undefined;
    }
  },
  // %include as `ringlab asm` finds it: beside the including file first.
  sourceFiles: new NodeSourceFiles(),
};

/** Paths compare resolved (and case-folded on Windows and macOS, whose file systems usually fold). */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string): string => {
    const r = path.resolve(p);
    return process.platform === 'linux' ? r : r.toLowerCase();
  };
  return norm(a) === norm(b);
}
