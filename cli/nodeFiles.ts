// The Node implementation of core's SourceFiles: how %include reaches the host file system.
// Core never touches `fs`; the CLI (and tests) hand it this.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFiles } from '../core/asm/types';

export class NodeSourceFiles implements SourceFiles {
  /** Extra directories searched after the including file's own (NASM's `-i`). */
  constructor(private readonly includeDirs: readonly string[] = []) {}

  read(file: string): string | undefined {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  resolve(from: string, name: string): string {
    if (path.isAbsolute(name)) return name;
    // NASM looks in the current directory first, then in each -i directory; a file included
    // from another file is most naturally found beside it, so that directory comes first.
    const candidates = [path.join(path.dirname(from), name), name, ...this.includeDirs.map((d) => path.join(d, name))];
    return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
  }
}
