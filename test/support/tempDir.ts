// Temporary directories for tests, removed when the test process exits, whatever the outcome:
// test runs had left about 800 of them under /tmp on a developer's machine.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

/** A new empty directory named `ringlab-<purpose>-XXXXXX` in the system's temporary directory. */
export function tempDir(purpose: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ringlab-${purpose}-`));
  if (made.length === 0) process.on('exit', removeAll);
  made.push(dir);
  return dir;
}

function removeAll(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
}
