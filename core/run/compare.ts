// One guest under every mode DESIGN names, side by side: each run's exit, counts and modelled
// cycles, and whether its console equals native's (Popek and Goldberg's equivalence, checked).
// Protocol-free: `ringlab compare` and the editor's comparison view both render these rows.

import { engineAvailable as registeredEngine } from '../hypervisor';
import { COSTS, type CostConstant } from '../hypervisor/costModel';
import type { Hole } from '../hypervisor/events';
import type { AsmDiagnostic } from '../asm';
import { EXIT_STATUS } from './exitStatus';
import type { GuestFile, PrepareOptions } from './guestImage';
import { runGuest, type GuestRunOptions } from './guestRun';
import { MODES, modeAvailable, type HypervisorType, type Mode } from './modes';
import type { RunExit, RunStats } from './runReport';

/**
 * What a mode's row says, in one word:
 * - `reference`: native, what every other mode is held to;
 * - `equal`: ran, and printed what native printed and ended as native ended;
 * - `diverged`: ran, and its console or its exit differs from native's (under trap with holes
 *   that is the technique's known limit, still a divergence);
 * - `needs-pv-port`: paravirtual refused a guest that was not written for it (it executed a
 *   privileged instruction instead of a hypercall): not a fault of the VMM;
 * - `not-available`: this build has no engine for the mode;
 * - `not-run`: the guest never booted (did not assemble, is not a program, bad configuration).
 */
export type CompareVerdict = 'reference' | 'equal' | 'diverged' | 'needs-pv-port' | 'not-available' | 'not-run';

export interface CompareRow {
  readonly mode: Mode;
  /** Whether this build has an engine for the mode (native always). */
  readonly available: boolean;
  /** How the run ended; null when it did not run. */
  readonly exit: RunExit | null;
  /** Null for native (the reference) and for rows that did not run. */
  readonly consoleEqualsNative: boolean | null;
  readonly exitEqualsNative: boolean | null;
  readonly verdict: CompareVerdict;
  /** The run's statistics (counts measured, cycles modelled); null when it did not run. */
  readonly stats: RunStats | null;
  readonly holes: readonly Hole[];
  /** simulatedCycles / native's simulatedCycles; null when either is missing or native's is 0. */
  readonly cyclesRatio: number | null;
  /** The console the mode produced (kept so a host can show a diff). */
  readonly console: string;
  /** One sentence for the user when the row is not a plain result. */
  readonly note?: string;
}

export interface Comparison {
  readonly file: string;
  readonly hypervisor: HypervisorType;
  readonly rows: readonly CompareRow[];
  /** 0: every mode that ran matched native; 1: one diverged; or, when the guest never booted,
   *  the status `ringlab run` gives for that (1 assembly error, 126 not a program, 2 configuration). */
  readonly status: number;
  /** Set when the guest never booted: why, and the assembler's messages if that was the reason. */
  readonly notBooted?: { readonly exit: RunExit; readonly diagnostics: readonly AsmDiagnostic[] };
  /** Assembler warnings (from the native run), for the host to print. */
  readonly warnings: readonly AsmDiagnostic[];
}

export interface CompareOptions extends PrepareOptions {
  readonly hypervisor?: HypervisorType;
  readonly maxInstructions?: number;
  readonly memoryMiB?: number;
  readonly hostClockMs?: () => number;
  /** Which modes to run, in order (default: DESIGN's five; native is always run first). */
  readonly modes?: readonly Mode[];
  /** Whether the build has an engine for a mode (default: core/hypervisor's registry); tests
   *  pass their own to see the not-available rows. */
  readonly engineAvailable?: (mode: Mode) => boolean;
  /** Called after each mode has run (a host may show progress: the runs take seconds). */
  readonly onRow?: (row: CompareRow) => void;
}

/** The constants the cycles come from, as `{ name: {cycles, basis, source} }`. */
export function costTable(): Record<string, CostConstant> {
  return Object.fromEntries(Object.entries(COSTS).map(([name, c]) => [name, { cycles: c.cycles, basis: c.basis, source: c.source }]));
}

/** Runs `file` under native and every other mode, and compares. Never throws. */
export function compareModes(file: GuestFile, options: CompareOptions = {}): Comparison {
  const hypervisor = options.hypervisor ?? 'type1';
  const available = (mode: Mode): boolean => {
    try {
      return modeAvailable(mode, options.engineAvailable ?? registeredEngine);
    } catch {
      return false;
    }
  };
  const order: Mode[] = ['native', ...(options.modes ?? MODES).filter((m) => m !== 'native')];
  const runOptions: GuestRunOptions & PrepareOptions = {
    ...(options.files !== undefined ? { files: options.files } : {}),
    ...(options.defines !== undefined ? { defines: options.defines } : {}),
    ...(options.maxInstructions !== undefined ? { maxInstructions: options.maxInstructions } : {}),
    ...(options.memoryMiB !== undefined ? { memoryMiB: options.memoryMiB } : {}),
    ...(options.hostClockMs !== undefined ? { hostClockMs: options.hostClockMs } : {}),
    hypervisor,
    keepConsole: true,
  };

  const native = runMode(file, 'native', runOptions);
  if (!native.booted) {
    const rows = order.map((mode): CompareRow => ({
      ...emptyRow(mode, available(mode)), verdict: 'not-run', exit: native.exit,
      note: `the guest did not start: ${native.exit.detail ?? native.exit.reason}`,
    }));
    rows.forEach((r) => options.onRow?.(r));
    return { file: file.path, hypervisor, rows, status: native.exit.code, notBooted: { exit: native.exit, diagnostics: native.diagnostics }, warnings: [] };
  }
  const reference: CompareRow = {
    mode: 'native', available: true, exit: native.exit, consoleEqualsNative: null, exitEqualsNative: null,
    verdict: 'reference', stats: native.stats, holes: native.holes, cyclesRatio: native.stats.simulatedCycles > 0 ? 1 : null, console: native.console,
  };
  options.onRow?.(reference);
  const rows: CompareRow[] = [reference];
  for (const mode of order.slice(1)) {
    const row = available(mode) ? compareRun(mode, runMode(file, mode, runOptions), reference) : notAvailable(mode);
    options.onRow?.(row);
    rows.push(row);
  }
  const diverged = rows.some((r) => r.verdict === 'diverged');
  return { file: file.path, hypervisor, rows, status: diverged ? 1 : 0, warnings: native.warnings };
}

type ModeRun =
  | { booted: true; exit: RunExit; stats: RunStats; holes: Hole[]; console: string; warnings: readonly AsmDiagnostic[] }
  | { booted: false; exit: RunExit; diagnostics: readonly AsmDiagnostic[] };

/** One mode's run through core/run, reduced to what a row needs. Never throws. */
function runMode(file: GuestFile, mode: Mode, options: GuestRunOptions & PrepareOptions): ModeRun {
  try {
    const outcome = runGuest(file, { ...options, mode });
    if (!outcome.booted) {
      return { booted: false, exit: outcome.exit, diagnostics: outcome.reason === 'assembly-error' ? outcome.diagnostics : [] };
    }
    const report = outcome.run.report();
    return { booted: true, exit: outcome.exit, stats: report.stats, holes: report.holes, console: report.console, warnings: outcome.run.image.warnings };
  } catch (e) {
    // A bug in RingLab under this mode: the row says so, the other modes still run.
    const message = e instanceof Error ? e.message : String(e);
    return { booted: false, exit: { reason: 'internal-error', code: EXIT_STATUS.INTERNAL_ERROR, detail: message }, diagnostics: [] };
  }
}

function compareRun(mode: Mode, run: ModeRun, reference: CompareRow): CompareRow {
  if (!run.booted) {
    // Native booted this file, so only the mode's launch configuration (or a bug) can stop it here.
    return { ...emptyRow(mode, true), exit: run.exit, verdict: 'diverged', consoleEqualsNative: false, exitEqualsNative: false, note: `did not start: ${run.exit.detail ?? run.exit.reason}` };
  }
  const base = {
    mode, available: true, exit: run.exit, stats: run.stats, holes: run.holes, console: run.console,
    cyclesRatio: reference.stats !== null && reference.stats.simulatedCycles > 0 ? run.stats.simulatedCycles / reference.stats.simulatedCycles : null,
  };
  if (mode === 'paravirtual' && run.exit.reason === 'guest-error') {
    return {
      ...base, consoleEqualsNative: null, exitEqualsNative: null, verdict: 'needs-pv-port',
      note: `cannot run (needs a PV port): ${run.exit.detail ?? 'the guest used a privileged instruction instead of a hypercall'}`,
    };
  }
  const consoleEqual = run.console === reference.console;
  const exitEqual = reference.exit !== null && run.exit.reason === reference.exit.reason && run.exit.code === reference.exit.code;
  const verdict: CompareVerdict = consoleEqual && exitEqual ? 'equal' : 'diverged';
  const why = !consoleEqual ? 'console differs from native' : 'ends differently from native';
  const holes = run.holes.length > 0 ? ` (${run.holes.length} hole${run.holes.length === 1 ? '' : 's'})` : '';
  return {
    ...base, consoleEqualsNative: consoleEqual, exitEqualsNative: exitEqual, verdict,
    ...(verdict === 'diverged' ? { note: `diverged${holes}: ${why}${exitEqual ? '' : ` (${describeExit(run.exit)} vs ${describeExit(reference.exit!)})`}` } : {}),
  };
}

function emptyRow(mode: Mode, available: boolean): Omit<CompareRow, 'verdict'> & { verdict: CompareVerdict } {
  return { mode, available, exit: null, consoleEqualsNative: null, exitEqualsNative: null, verdict: 'not-run', stats: null, holes: [], cyclesRatio: null, console: '' };
}

function notAvailable(mode: Mode): CompareRow {
  return { ...emptyRow(mode, false), verdict: 'not-available', note: `not available: this build has no ${mode} engine` };
}

/** `exit 1`, `halt 0`, `guest-error 6`: a run's end as the table shows it. */
export function describeExit(exit: RunExit): string {
  return `${exit.reason} ${exit.code}`;
}
