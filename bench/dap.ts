// The debugger as an editor sees it, over the real protocol against `node dist/ringlab.js dap`:
// the round trip of one step (next -> stopped -> stackTrace -> scopes -> variables) on the example
// kernel, launch to the stop on entry, and a continue through ~60 M guest instructions with 100
// breakpoints set (never hit, on the loop's own page: the worst case for the decode-cache
// records) against none. Targets: step < 5 ms, launch < 300 ms, ratio >= 0.8. Wall clock.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Benchmark } from './benchmark';

const ROOT = path.resolve(__dirname, '..', '..');
const KERNEL = path.join(ROOT, 'examples', 'kernel.gasm');
const STEPS = 60;
const LAUNCHES = 9;
const CONTINUE_RUNS = 5;
const LOOP_ITERATIONS = 20_000_000; // x 3 instructions
const BREAKPOINTS = 100;
const STEP_TARGET_MS = 5;
const LAUNCH_TARGET_MS = 300;
const RATIO_TARGET = 0.8;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/** A tight loop, then 100 lines nobody executes (where the breakpoints go), on the same page. */
function loopProgram(): { file: string; unusedLines: number[] } {
  const lines = ['bits 32', 'org 0x100000', '_start:', `  mov ecx, ${LOOP_ITERATIONS}`, '.l:', '  add eax, ecx', '  dec ecx', '  jnz .l',
    '  mov al, 0', '  out 0xF4, al', '  cli', '  hlt', 'unused:'];
  const unusedLines: number[] = [];
  for (let i = 0; i < BREAKPOINTS; i++) {
    lines.push(`  inc ebx`);
    unusedLines.push(lines.length);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-bench-dap-')), 'loop.gasm');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return { file, unusedLines };
}

async function client(): Promise<DebugClient> {
  const entry = path.join(ROOT, 'out', 'test', 'dap', 'dapEntry.js');
  const dc = new DebugClient(process.execPath, entry, 'ringlab', { cwd: ROOT });
  dc.defaultTimeout = 120_000;
  await dc.start();
  await dc.initializeRequest({ adapterID: 'ringlab', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  return dc;
}

async function launchStopped(dc: DebugClient, program: string): Promise<number> {
  const started = now();
  const stopped = dc.waitForEvent('stopped');
  await dc.launchRequest({ program, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
  await dc.configurationDoneRequest();
  await stopped;
  return now() - started;
}

async function stepRoundTrips(): Promise<number[]> {
  const dc = await client();
  try {
    await launchStopped(dc, KERNEL);
    const times: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      const started = now();
      const stopped = dc.waitForEvent('stopped');
      await dc.nextRequest({ threadId: 1 });
      await stopped;
      const st = await dc.stackTraceRequest({ threadId: 1 });
      const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[0]!.id });
      await dc.variablesRequest({ variablesReference: scopes.body.scopes[0]!.variablesReference });
      times.push(now() - started);
    }
    return times;
  } finally {
    await dc.stop();
  }
}

async function launchTimes(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const dc = await client();
    try {
      times.push(await launchStopped(dc, KERNEL));
    } finally {
      await dc.stop();
    }
  }
  return times;
}

/** Continue to the guest's exit with `lines` as breakpoints; ms from continue to exited. */
async function continueMs(file: string, lines: readonly number[]): Promise<number> {
  const dc = await client();
  try {
    await launchStopped(dc, file);
    const set = await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: lines.map((line) => ({ line })) });
    if (set.body.breakpoints.some((b) => !b.verified)) throw new Error('a benchmark breakpoint was not verified');
    const exited = dc.waitForEvent('exited');
    const started = now();
    await dc.continueRequest({ threadId: 1 });
    await exited;
    return now() - started;
  } finally {
    await dc.stop();
  }
}

export const dapBench: Benchmark = {
  name: 'dap: step round trip, launch to stop on entry, continue with 100 breakpoints (ringlab dap over stdio)',
  async run() {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'ringlab.js'))) throw new Error('dist/ringlab.js is missing: npm run build');
    const steps = await stepRoundTrips();
    const step = median(steps);
    console.log(`  step (next -> stopped -> stackTrace -> scopes -> variables): median ${step.toFixed(2)} ms over ${STEPS} steps ` +
      `(target < ${STEP_TARGET_MS} ms: ${step < STEP_TARGET_MS ? 'met' : 'NOT met'})`);
    const launch = median(await launchTimes());
    console.log(`  launch -> stopped on entry (examples/kernel.gasm): median ${launch.toFixed(1)} ms over ${LAUNCHES} ` +
      `(target < ${LAUNCH_TARGET_MS} ms: ${launch < LAUNCH_TARGET_MS ? 'met' : 'NOT met'})`);
    const { file, unusedLines } = loopProgram();
    const none: number[] = [];
    const hundred: number[] = [];
    try {
      for (let i = 0; i < CONTINUE_RUNS; i++) {
        none.push(await continueMs(file, []));
        hundred.push(await continueMs(file, unusedLines));
      }
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    const ratio = median(none) / median(hundred);
    console.log(`  continue over ${(LOOP_ITERATIONS * 3 / 1e6).toFixed(0)} M instructions: no breakpoints ${median(none).toFixed(0)} ms, ` +
      `${BREAKPOINTS} breakpoints ${median(hundred).toFixed(0)} ms (medians of ${CONTINUE_RUNS}, interleaved); speed ratio ${ratio.toFixed(2)} ` +
      `(target >= ${RATIO_TARGET}: ${ratio >= RATIO_TARGET ? 'met' : 'NOT met'})`);
  },
};
