// One guest run, composed for every host (the CLI, tests, benchmarks, later the debugger):
// boot an image on a fresh machine, run it in slices so console output streams while the guest
// runs, end on a stop reason with its exit status, and report the final state and statistics.
// Everything here is deterministic except wallMs and mips, which measure the host.

import { bootKernel } from '../cpu/boot';
import { Hypervisor } from '../hypervisor';
import { VMM_AREA_BYTES } from '../hypervisor/vmmArea';
import { CostSheet, guestEventCount, type CostLine } from '../hypervisor/costModel';
import type { VmmCounters } from '../hypervisor/counters';
import type { HypervisorType, Mode } from './modes';
import type { Cpu, CpuStop } from '../cpu/cpu';
import type { Machine } from '../machine/machine';
import { ConsoleStream } from './consoleStream';
import type { JitOptions } from '../jit';
import { EXIT_STATUS } from './exitStatus';
import { prepareGuest, type GuestFile, type GuestImage, type PrepareFailure, type PrepareOptions } from './guestImage';
import { snapshotCpu, type RunExit, type RunReport } from './runReport';

/** About 10-50 ms of host time per slice: output appears promptly, the loop overhead stays small. */
export const DEFAULT_SLICE_INSTRUCTIONS = 1 << 20;

export interface GuestRunOptions {
  /** RAM in MiB (default: the machine's 32). */
  readonly memoryMiB?: number;
  /** Budget of instructions (faults delivered count too); default none, like QEMU. */
  readonly maxInstructions?: number;
  /** Receives console output as the guest produces it, one chunk per slice at least; returning
   *  false (the host's stdout was closed) ends the run at the end of the slice. */
  readonly onConsole?: (bytes: Uint8Array) => boolean | void;
  /** Keep the console output for the report (default true; a host that streams and never reports can save the memory). */
  readonly keepConsole?: boolean;
  readonly sliceInstructions?: number;
  /** Bytes queued on COM1's input before the guest starts. */
  readonly consoleInput?: string | Uint8Array;
  /** The host clock in ms, for wallMs and mips only (convention: host I/O through an interface). */
  readonly hostClockMs?: () => number;
  /** The virtualization mode (default native: no hypervisor). */
  readonly mode?: Mode;
  readonly hypervisor?: HypervisorType;
  /** `hw`: the VMCS controls of the launch configuration. */
  readonly vmcs?: Readonly<Record<string, unknown>>;
  /** The compiled translation cache (core/jit): on by default; false interprets every
   *  instruction (the reference), options tune it. */
  readonly jit?: boolean | JitOptions;
}

/** The compiled translation cache unless RINGLAB_JIT=0 (the test suite runs once each way). */
function jitDefault(): boolean {
  return typeof process === 'undefined' || process.env['RINGLAB_JIT'] !== '0';
}

/** Things worth telling the user that are not a stop reason (QEMU would be silent about them). */
export interface RunNote { readonly kind: 'outside-ram-write' | 'outside-ram-read'; readonly message: string }

export class GuestRun {
  readonly console: ConsoleStream;
  private exitInfo: RunExit | null = null;
  private wallMs = 0;
  private readonly budgetEnd: number;
  private readonly sliceInstructions: number;
  private readonly clock: () => number;
  /** Why the last slice ended (`breakpoint`: a debugger stopped it; the run goes on). */
  lastStop: CpuStop['reason'] | null = null;
  /** The exception behind an internal error, for hosts that show stacks on request. */
  internalError: unknown;

  private constructor(readonly image: GuestImage, readonly machine: Machine, readonly cpu: Cpu, console: ConsoleStream, options: GuestRunOptions,
    /** The VMM under `mode` (null under native). */
    readonly hypervisor: Hypervisor | null) {
    this.console = console;
    this.budgetEnd = options.maxInstructions ?? Number.POSITIVE_INFINITY;
    this.sliceInstructions = Math.max(1, options.sliceInstructions ?? DEFAULT_SLICE_INSTRUCTIONS);
    this.clock = options.hostClockMs ?? (() => performance.now());
  }

  /** A machine with `image` loaded and the CPU at its entry point, or why the loader refused it. */
  static boot(image: GuestImage, options: GuestRunOptions = {}): GuestRun | { reason: 'not-a-program' | 'bad-configuration'; message: string } {
    const console = new ConsoleStream(options.onConsole, options.keepConsole ?? true);
    const mode = options.mode ?? 'native';
    const booted = bootKernel(image.bytes, {
      ...image.load,
      consoleSink: console,
      ...(options.memoryMiB !== undefined ? { memoryMiB: options.memoryMiB } : {}),
      ...(mode !== 'native' ? { reservedBytes: VMM_AREA_BYTES } : {}),
    });
    if (!('cpu' in booted)) return { reason: 'not-a-program', message: booted.message };
    let hypervisor: Hypervisor | null = null;
    if (mode !== 'native') {
      const attached = Hypervisor.attach(booted.cpu, booted.machine, mode, {
        ...(options.hypervisor !== undefined ? { type: options.hypervisor } : {}),
        ...(options.vmcs !== undefined ? { vmcs: options.vmcs } : {}),
      });
      if (!(attached instanceof Hypervisor)) return { reason: 'bad-configuration', message: attached.error };
      hypervisor = attached;
    }
    const jit = options.jit ?? jitDefault();
    if (jit !== false) booted.cpu.setJit(jit === true ? {} : jit);
    if (options.consoleInput !== undefined) booted.machine.sendInput(options.consoleInput);
    return new GuestRun(image, booted.machine, booted.cpu, console, options, hypervisor);
  }

  /** Instructions retired plus faults delivered: what the budget counts (as the CPU does). */
  get budgetUsed(): number { return this.cpu.instructionsRetired + this.cpu.faultsDelivered; }

  /** How the run ended, or null while it can go on. */
  get exit(): RunExit | null { return this.exitInfo; }

  /** Runs at most one slice; returns the exit once the run is over, else null. Never throws.
   *  `singleStep` (the debugger): one instruction, or one event delivered (stops at the handler). */
  runSlice(maxInstructions = this.sliceInstructions, singleStep = false): RunExit | null {
    if (this.exitInfo !== null) return this.exitInfo;
    const left = this.budgetEnd - this.budgetUsed;
    if (left <= 0) return this.finish({ reason: 'max-instructions', code: EXIT_STATUS.MAX_INSTRUCTIONS });
    const n = Math.min(maxInstructions, left);
    const started = this.clock();
    let stop: CpuStop;
    try {
      stop = singleStep ? this.cpu.step() : this.cpu.run(n);
    } catch (e) {
      // A bug in RingLab, not in the guest: end this run with a reason; the host process lives on.
      this.internalError = e;
      this.wallMs += this.clock() - started;
      const message = e instanceof Error ? e.message : String(e);
      return this.finish({ reason: 'internal-error', code: EXIT_STATUS.INTERNAL_ERROR, detail: `${message} (at eip 0x${hex8(this.cpu.state.eip)})` });
    }
    this.wallMs += this.clock() - started;
    this.console.flush();
    if (this.console.closed && (stop.reason === 'max-instructions' || stop.reason === 'step')) {
      return this.finish({ reason: 'console-closed', code: EXIT_STATUS.CONSOLE_CLOSED });
    }
    this.lastStop = stop.reason;
    // A debugger's breakpoint pauses the run; it does not end it.
    if (stop.reason === 'breakpoint') return null;
    if (stop.reason === 'max-instructions' || stop.reason === 'step') {
      if (this.budgetUsed < this.budgetEnd) return null;
      return this.finish({ reason: 'max-instructions', code: EXIT_STATUS.MAX_INSTRUCTIONS });
    }
    return this.finish(exitOf(stop));
  }

  /** Runs until the guest stops or the budget is used. */
  runToEnd(): RunExit {
    for (;;) {
      const exit = this.runSlice();
      if (exit !== null) return exit;
    }
  }

  private finish(exit: RunExit): RunExit {
    this.console.flush();
    this.exitInfo = exit;
    return exit;
  }

  /** Notes on what the guest did that QEMU tolerates silently (writes outside RAM are dropped). */
  notes(): RunNote[] {
    const mem = this.machine.memory;
    const notes: RunNote[] = [];
    if (mem.outsideWrites > 0) {
      notes.push({
        kind: 'outside-ram-write',
        message: `the guest wrote outside RAM ${mem.outsideWrites} time(s), first at physical 0x${hex8(mem.firstOutsideWritePhysAddr)} ` +
          `(RAM ends at 0x${hex8(mem.guestBytes)}); those writes were dropped, as on QEMU`,
      });
    }
    if (mem.outsideReads > 0) {
      notes.push({ kind: 'outside-ram-read', message: `the guest read outside RAM ${mem.outsideReads} time(s); those reads gave 0x00, as on QEMU` });
    }
    return notes;
  }

  /** The DESIGN `--json` object for the run so far. */
  report(): RunReport {
    const instructions = this.cpu.instructionsRetired;
    const vmm = this.hypervisor;
    const cost = vmm !== null ? vmm.cost() : nativeCost(instructions, this.machine.io.accesses, guestEventCount(this.cpu.eventsDelivered, null));
    const c = vmm?.counters;
    return {
      exit: this.exitInfo ?? { reason: 'running', code: 0 },
      console: this.console.text,
      ...snapshotCpu(this.cpu, vmm?.view()),
      mode: vmm?.mode ?? 'native',
      hypervisor: vmm?.type ?? null,
      stats: {
        instructions,
        traps: c?.traps ?? 0,
        translations: c?.translations ?? 0,
        hypercalls: c?.hypercalls ?? 0,
        vmExits: c?.exitsByName() ?? {},
        simulatedCycles: cost.total,
        wallMs: round3(this.wallMs),
        mips: this.wallMs > 0 ? round3(instructions / this.wallMs / 1000) : 0,
        counters: countersReport(c, this.machine.io.accesses),
        cycles: cost.lines,
        jit: this.cpu.jit === null ? null : { ...this.cpu.jit.stats.toJSON(), live: this.cpu.jit.cache.live },
      },
      holes: vmm?.holeList() ?? [],
    };
  }
}

/** Native: instructions and real device accesses, nothing to virtualize. */
function nativeCost(instructions: number, ioAccesses: number, guestEvents: number): { total: number; lines: CostLine[] } {
  const sheet = new CostSheet().add('instruction', instructions).add('nativeIo', ioAccesses).add('guestEvent', guestEvents);
  return { total: sheet.total(), lines: sheet.lines() };
}

function countersReport(c: VmmCounters | undefined, ioAccesses: number): Record<string, number> {
  const out: Record<string, number> = { ioAccesses };
  if (c === undefined) return out;
  for (const [key, value] of Object.entries(c)) if (typeof value === 'number') out[key] = value;
  return out;
}

/** The CPU's stop as the run's exit: DESIGN's statuses, plus ours for what it cannot run. */
function exitOf(stop: CpuStop): RunExit {
  const detail = stop.detail !== undefined ? { detail: stop.detail } : {};
  switch (stop.reason) {
    case 'exit': return { reason: 'exit', code: stop.code };
    case 'halt': return { reason: 'halt', code: EXIT_STATUS.HALT, ...detail };
    case 'triple-fault': return { reason: 'triple-fault', code: EXIT_STATUS.TRIPLE_FAULT, ...detail };
    case 'unsupported': return { reason: 'unsupported', code: EXIT_STATUS.UNSUPPORTED, ...detail };
    case 'guest-error': return { reason: 'guest-error', code: EXIT_STATUS.GUEST_ERROR, ...detail };
    default: return { reason: stop.reason, code: stop.code, ...detail };
  }
}

export type GuestOutcome =
  | { readonly booted: true; readonly run: GuestRun; readonly exit: RunExit }
  | ({ readonly booted: false; readonly exit: RunExit } & PrepareFailure);

/** Assemble-or-load, boot and run to the end: what `ringlab run` does. Never throws. */
export function runGuest(file: GuestFile, options: GuestRunOptions & PrepareOptions = {}): GuestOutcome {
  const prepared = prepareGuest(file, options);
  if (!prepared.ok) {
    if (prepared.reason === 'assembly-error') {
      const first = prepared.diagnostics.find((d) => d.severity === 'error');
      return { booted: false, ...prepared, exit: { reason: 'assembly-error', code: EXIT_STATUS.ASSEMBLY_ERROR, ...(first ? { detail: first.message } : {}) } };
    }
    return { booted: false, ...prepared, exit: { reason: 'not-a-program', code: EXIT_STATUS.NOT_A_PROGRAM, detail: prepared.message } };
  }
  const run = GuestRun.boot(prepared.image, options);
  if (!(run instanceof GuestRun)) {
    if (run.reason === 'bad-configuration') {
      return { booted: false, reason: 'bad-configuration', message: run.message, exit: { reason: 'bad-configuration', code: EXIT_STATUS.USAGE, detail: run.message } };
    }
    const message = `${file.path} is not a program: ${run.message}`;
    return { booted: false, reason: 'not-a-program', message, exit: { reason: 'not-a-program', code: EXIT_STATUS.NOT_A_PROGRAM, detail: message } };
  }
  return { booted: true, run, exit: run.runToEnd() };
}

function hex8(value: number): string { return (value >>> 0).toString(16).toUpperCase().padStart(8, '0'); }
function round3(x: number): number { return Math.round(x * 1000) / 1000; }
