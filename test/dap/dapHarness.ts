// Shared setup for the DAP tests: build the bundle once, start `ringlab dap` under a
// DebugClient per test, and small helpers to launch a program, stop, and read state.

import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { engineAvailable } from '../../core/hypervisor';
import { parseMode, type Mode } from '../../core/run';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');
export const HELLO = path.join(EXAMPLES, 'hello.gasm');
export const KERNEL = path.join(EXAMPLES, 'kernel.gasm');
export const TRAP_HOLES = path.join(EXAMPLES, 'trap-holes.gasm');
export const MODE_ALIASES = ['native', 'trap', 'bt', 'pv', 'hw'] as const;

let built = false;
/** Bundles dist/ once per test process (the tests run the real `ringlab dap`). */
export function buildOnce(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  built = true;
}

export function modeAvailable(alias: string): boolean {
  const mode = parseMode(alias) as Mode;
  return mode === 'native' || engineAvailable(mode);
}

export const HELLO_PV = path.join(EXAMPLES, 'hello-pv.gasm');
export const KERNEL_PV = path.join(EXAMPLES, 'kernel-pv.gasm');

/** The example guests a mode runs: their PV ports under pv. */
export interface ModeGuests { readonly hello: string; readonly kernel: string }

/** One `describe` per mode alias, pending (never passing) when the build has no engine for it. */
export function forEachMode(body: (alias: (typeof MODE_ALIASES)[number], guests: ModeGuests) => void): void {
  for (const alias of MODE_ALIASES) {
    describe(`under ${alias}`, function () {
      before(function () { if (!modeAvailable(alias)) this.skip(); });
      body(alias, alias === 'pv' ? { hello: HELLO_PV, kernel: KERNEL_PV } : { hello: HELLO, kernel: KERNEL });
    });
  }
}

export async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient(process.execPath, path.join(__dirname, 'dapEntry.js'), 'ringlab', { cwd: ROOT }, true);
  dc.defaultTimeout = 20000;
  await dc.start();
  await dc.initializeRequest({ adapterID: 'ringlab', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  return dc;
}

/** The 1-based line of the first line of `file` containing `text`. */
export function lineOf(file: string, text: string): number {
  const lines = require('node:fs').readFileSync(file, 'utf8').split('\n') as string[];
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} not in ${file}`);
  return i + 1;
}

/** Launches stopped on entry; resolves with the stopped event. */
export async function launchStopped(dc: DebugClient, args: Record<string, unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped');
  await dc.launchRequest({ stopOnEntry: true, ...args } as DebugProtocol.LaunchRequestArguments);
  await dc.configurationDoneRequest();
  return (await stopped) as DebugProtocol.StoppedEvent;
}

export async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  const f = st.body.stackFrames[0];
  assert.ok(f, 'a stack frame');
  return f;
}

export async function eip(dc: DebugClient): Promise<number> {
  return Number((await dc.evaluateRequest({ expression: 'eip', context: 'watch' })).body.memoryReference);
}

/** Sends a request and returns its (error) response without throwing. */
export async function rawRequest(dc: DebugClient, command: string, args: unknown): Promise<DebugProtocol.Response> {
  try {
    return await dc.send(command, args);
  } catch (e) {
    return { success: false, message: e instanceof Error ? e.message : String(e) } as DebugProtocol.Response;
  }
}

/** Runs `action` and waits for the stop it causes. */
export async function stopAfter(dc: DebugClient, action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped');
  await action();
  return (await stopped) as DebugProtocol.StoppedEvent;
}

export async function variablesOf(dc: DebugClient, scopeName: string): Promise<DebugProtocol.Variable[]> {
  const frame = await topFrame(dc);
  const scopes = await dc.scopesRequest({ frameId: frame.id });
  const scope = scopes.body.scopes.find((s) => s.name === scopeName);
  assert.ok(scope, `scope ${scopeName} in ${scopes.body.scopes.map((s) => s.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
}
