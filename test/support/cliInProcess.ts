// Runs the `ringlab` command in this process with stdout and stderr captured (the CLI tests'
// shared harness; the bundled command as a separate process is test/unit/cli/bundle.test.ts).

import { main } from '../../cli/dispatch';

export interface CliRun { status: number; stdout: string; stderr: string }

export async function ringlabInProcess(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += chunk.toString(); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += chunk.toString(); return true; }) as typeof process.stderr.write;
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
