// The language server as an editor sees it, through the stdio client of test/lsp: time from
// didOpen to the first diagnostics for a 50,000-line file (a fresh server each run: what opening
// a big file costs), the time of one keystroke (didChange to its diagnostics) in a 5,000-line
// file, and the server's memory (RSS) with the big file open. Targets: 150 ms and 20 ms.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspClient } from '../test/lsp/lspClient';
import { generateAsmSource } from './asmSource';
import { formatMs, type Benchmark } from './benchmark';

const BIG_LINES = 50_000;
const SMALL_LINES = 5_000;
const OPEN_RUNS = 5;
const KEYSTROKES = 41;
const OPEN_TARGET_MS = 150;
const KEYSTROKE_TARGET_MS = 20;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: readonly number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

function rssMiB(pid: number | undefined): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const verdict = (ms: number, target: number): string => `(target < ${target} ms: ${ms < target ? 'met' : 'NOT met'})`;

export const lspBench: Benchmark = {
  name: `lsp: first diagnostics (${BIG_LINES.toLocaleString('en')} lines), one keystroke (${SMALL_LINES.toLocaleString('en')} lines), server RSS`,
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-bench-lsp-'));
    try {
      const big = generateAsmSource(BIG_LINES);
      const small = generateAsmSource(SMALL_LINES);
      const open: number[] = [];
      let rss: number | undefined;
      let count = 0;
      for (let run = 0; run < OPEN_RUNS; run++) {
        const client = new LspClient();
        try {
          await client.initialize();
          const start = process.hrtime.bigint();
          const uri = await client.open(path.join(dir, `big${run}.gasm`), big);
          count = (await client.diagnostics(uri, { version: 1, timeoutMs: 60_000 })).length;
          open.push(Number(process.hrtime.bigint() - start) / 1e6);
          rss = rssMiB(client.pid);
        } finally {
          await client.close();
        }
      }
      const openMs = median(open);
      console.log(`  first diagnostics, ${BIG_LINES} lines (${count} diagnostics): median ${formatMs(openMs)}  runs ${open.map((m) => m.toFixed(0)).join(' ')}  ${verdict(openMs, OPEN_TARGET_MS)}`);
      console.log(`  server RSS with it open: ${rss === undefined ? 'not available' : `${rss.toFixed(0)} MiB`}`);

      const client = new LspClient();
      try {
        await client.initialize();
        const uri = await client.open(path.join(dir, 'small.gasm'), small);
        await client.diagnostics(uri, { version: 1, timeoutMs: 60_000 });
        const line = Math.floor(SMALL_LINES / 2);
        const width = small.split('\n')[line]!.length;
        const times: number[] = [];
        for (let k = 0; k < KEYSTROKES; k++) {
          // Type a space at the end of a line, then delete it: every change is a new text.
          const version = k + 2;
          const since = client.publishedCount;
          const start = process.hrtime.bigint();
          if (k % 2 === 0) await client.change(uri, version, [line, width], [line, width], ' ');
          else await client.change(uri, version, [line, width], [line, width + 1], '');
          await client.diagnostics(uri, { version, since });
          times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        const keyMs = median(times.slice(1));
        console.log(`  one keystroke, ${SMALL_LINES} lines: median ${formatMs(keyMs)}  p90 ${formatMs(percentile(times.slice(1), 0.9))}  ${verdict(keyMs, KEYSTROKE_TARGET_MS)}`);
        console.log(`  server RSS after ${KEYSTROKES} keystrokes: ${rssMiB(client.pid)?.toFixed(0) ?? '?'} MiB`);
      } finally {
        await client.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
