// Run control for one guest under the debugger (the adapter and, later, the CLI use it; no
// protocol types): launch over core/run's GuestRun, breakpoints, stepping by instruction and by
// source line, step over and out, continue in slices the host drives asynchronously (so pause is
// seen at once), exception filters from the VMM's events and the CPU's, data breakpoints, the
// VMM frame, and restart. Stops, output and the end of the run reach the host through DebugListener.

import type { AsmDiagnostic, SourceFiles } from '../asm';
import { EVENT } from '../cpu/interrupts';
import { Decoded, decode, formatInstruction } from '../disasm';
import type { VmmEvent } from '../hypervisor';
import { prepareGuest, GuestRun, type RunExit } from '../run';
import { BreakpointTable, hitConditionMet, type Breakpoint, type FunctionBreakpointRequest, type InstructionBreakpointRequest, type SourceBreakpointRequest } from './breakpoints';
import { DataWatch, type DataBreakpointRequest } from './dataWatch';
import { evaluate, type EvalResult } from './expression';
import { ExceptionFilters, type ExceptionFilterRequest, guestExceptionName } from './exceptionFilters';
import { GuestMemory } from './guestMemory';
import type { LaunchConfig } from './launchConfig';
import { readRegister, writeRegister } from './registers';
import { SourceLines } from './sourceLines';
import { advanceVmmFrame, buildVmmFrame, snapshot, VMM_ENTRY_KINDS, type VmmFrame } from './vmmFrame';

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'instruction breakpoint' | 'data breakpoint' | 'exception' | 'pause';

export interface StopInfo {
  readonly reason: StopReason;
  readonly description: string;
  readonly text?: string;
  readonly breakpointIds?: readonly number[];
  /** For `exception`: what happened (trap name, exit reason and qualification, hypercall and arguments). */
  readonly exception?: { readonly id: string; readonly description: string; readonly details: string; readonly event?: VmmEvent };
}

export interface DebugListener {
  onStop(stop: StopInfo): void;
  onOutput(text: string, category: 'stdout' | 'console' | 'stderr'): void;
  onExit(exit: RunExit): void;
}

/** What the host gives core: the program's bytes and %include files (core never touches `fs`). */
export interface DebugHost {
  readFile(path: string): Uint8Array | undefined;
  readonly sourceFiles?: SourceFiles;
}

export type LaunchResult =
  | { readonly ok: true; readonly run: DebugRun }
  | { readonly ok: false; readonly message: string; readonly diagnostics?: readonly AsmDiagnostic[] };

/** Instructions per slice of a continue: about 5 ms of host time, so pause answers at once. */
export const DEBUG_SLICE_INSTRUCTIONS = 1 << 18;
/** Single steps of a line step between looks at the host (pause, new requests). */
const STEPS_PER_TURN = 4096;

type Outcome = { readonly kind: 'stop'; readonly stop: StopInfo } | { readonly kind: 'exit'; readonly exit: RunExit } | { readonly kind: 'temp' };

interface Target {
  readonly run: GuestRun;
  readonly lines: SourceLines;
  readonly memory: GuestMemory;
  readonly table: BreakpointTable;
  readonly data: DataWatch;
  readonly startInfoPhys?: number;
}

export class DebugRun {
  private target: Target;
  private running = false;
  private pauseRequested = false;
  /** A stop decided inside a hook (a VMM event, a data write, a guest exception), taken once the instruction completes. */
  private pending: StopInfo | null = null;
  private pendingVerify: (() => boolean) | null = null;
  /** VMM events of the current single step (a VMM frame is built from them). */
  private stepEvents: VmmEvent[] | null = null;
  private vmm: VmmFrame | null = null;
  private ended: RunExit | null = null;
  private lastStopInfo: StopInfo | null = null;
  private readonly filters = new ExceptionFilters();
  // Requests kept so a restart resolves them again on the new run.
  private readonly sourceRequests = new Map<string, { file: string | null; requests: readonly SourceBreakpointRequest[] }>();
  private functionRequests: readonly FunctionBreakpointRequest[] = [];
  private instructionRequests: readonly InstructionBreakpointRequest[] = [];
  private dataRequests: readonly DataBreakpointRequest[] = [];

  private constructor(readonly config: LaunchConfig, private readonly host: DebugHost, private readonly listener: DebugListener, target: Target) {
    this.target = target;
  }

  /** Assembles or loads the program and boots it, stopped before its first instruction. */
  static launch(config: LaunchConfig, host: DebugHost, listener: DebugListener): LaunchResult {
    const made = makeTarget(config, host, listener);
    if (!made.ok) return made;
    const run = new DebugRun(config, host, listener, made.target);
    run.attach(made.target);
    return { ok: true, run };
  }

  // ---- state ----------------------------------------------------------------------------------

  get guest(): GuestRun { return this.target.run; }
  get sourceLines(): SourceLines { return this.target.lines; }
  get memory(): GuestMemory { return this.target.memory; }
  get isRunning(): boolean { return this.running; }
  get exit(): RunExit | null { return this.ended; }
  get vmmFrame(): VmmFrame | null { return this.vmm; }
  get lastStop(): StopInfo | null { return this.lastStopInfo; }
  get eip(): number { return this.guest.cpu.state.eip >>> 0; }
  /** Under pv: start_info's physical address, as the guest got it in ESI at boot. */
  get startInfoPhys(): number | undefined { return this.target.startInfoPhys; }

  /** The host's first stop: on entry, or runs to the first breakpoint. */
  start(): void {
    if (this.config.stopOnEntry) this.stoppedLater({ reason: 'entry', description: 'Paused on entry' });
    else this.continue();
  }

  // ---- breakpoints ----------------------------------------------------------------------------

  /** `file` as the assembler names it, or null when the file is not part of the program. */
  setSourceBreakpoints(file: string | null, shownAs: string, requests: readonly SourceBreakpointRequest[]): Breakpoint[] {
    this.sourceRequests.set(file ?? shownAs, { file, requests });
    const out = this.target.table.setSource(file, requests, shownAs);
    this.armBreakpoints();
    return out;
  }

  setFunctionBreakpoints(requests: readonly FunctionBreakpointRequest[]): Breakpoint[] {
    this.functionRequests = requests;
    const out = this.target.table.setFunctions(requests);
    this.armBreakpoints();
    return out;
  }

  setInstructionBreakpoints(requests: readonly InstructionBreakpointRequest[]): Breakpoint[] {
    this.instructionRequests = requests;
    const out = this.target.table.setInstructions(requests);
    this.armBreakpoints();
    return out;
  }

  setExceptionFilters(requests: readonly ExceptionFilterRequest[]): { verified: boolean; message?: string }[] {
    return this.filters.set(requests, this.guest.hypervisor?.mode ?? 'native');
  }

  setDataBreakpoints(requests: readonly DataBreakpointRequest[]): { verified: boolean; message?: string }[] {
    this.dataRequests = requests;
    return this.target.data.set(requests);
  }

  private armBreakpoints(temp?: number): void {
    const csBase = this.guest.cpu.state.segs[1]!.base;
    const addrs = this.target.table.addresses().map((a) => (a + csBase) >>> 0);
    if (temp !== undefined) addrs.push((temp + csBase) >>> 0);
    this.guest.cpu.setBreakpoints(addrs);
  }

  // ---- run control ----------------------------------------------------------------------------

  continue(): void { this.drive(() => this.runFree(null)); }

  /** One instruction (or one event delivered: stops at the handler's first instruction). */
  stepInstruction(): void { this.drive(() => this.stepOnce(true)); }

  /** Over calls and interrupts, to the next source line (instruction when there is no source). */
  next(granularity: 'line' | 'instruction' = 'line'): void {
    if (this.vmm !== null) { this.walkVmmFrame(); return; }
    this.drive(() => (granularity === 'instruction' ? this.stepOnce(false) : this.stepLine('over')));
  }

  /** Into calls; into the VMM when the instruction traps, exits, makes a hypercall or calls out. */
  stepIn(granularity: 'line' | 'instruction' = 'line'): void {
    if (this.vmm !== null) { this.walkVmmFrame(); return; }
    this.drive(() => (granularity === 'instruction' ? this.stepOnce(true) : this.stepLine('in')));
  }

  stepOut(): void {
    if (this.vmm !== null) {
      this.vmm = null;
      this.stoppedLater({ reason: 'step', description: 'Back in the guest' });
      return;
    }
    this.drive(() => this.stepLine('out'));
  }

  pause(): void {
    if (this.running) this.pauseRequested = true;
    else if (this.ended === null) this.stoppedLater({ reason: 'pause', description: 'Paused' });
  }

  /** A fresh machine with the same program and configuration; breakpoints carry over. */
  restart(): LaunchResult {
    this.pauseRequested = true;
    const made = makeTarget(this.config, this.host, this.listener);
    if (!made.ok) return made;
    this.target = made.target;
    this.attach(made.target);
    this.running = false;
    this.pending = null;
    this.vmm = null;
    this.ended = null;
    for (const { file, requests } of this.sourceRequests.values()) this.target.table.setSource(file, requests, file ?? '');
    this.target.table.setFunctions(this.functionRequests);
    this.target.table.setInstructions(this.instructionRequests);
    this.target.data.set(this.dataRequests);
    this.armBreakpoints();
    return { ok: true, run: this };
  }

  /** Stops for good (no exit event: the host ends the session). */
  terminate(): void {
    this.pauseRequested = true;
    if (this.ended === null) this.ended = { reason: 'terminated', code: 0 };
  }

  sendInput(input: string | Uint8Array): void { this.guest.machine.sendInput(input); }

  /** Writes guest memory (linear), keeping breakpoints on rewritten code armed; bytes written. */
  writeMemory(linAddr: number, bytes: Uint8Array): number {
    const n = this.target.memory.write(linAddr, bytes);
    this.armBreakpoints();
    return n;
  }

  private walkVmmFrame(): void {
    const frame = this.vmm!;
    if (advanceVmmFrame(frame)) this.stoppedLater({ reason: 'step', description: `VMM: ${frame.lines[frame.line]!.trim()}` });
    else {
      this.vmm = null;
      this.stoppedLater({ reason: 'step', description: 'Back in the guest after the VMM' });
    }
  }

  private drive(loop: () => Promise<Outcome> | Outcome): void {
    if (this.running || this.ended !== null) return;
    this.running = true;
    this.pauseRequested = false;
    this.vmm = null;
    const target = this.target;
    Promise.resolve().then(loop).then((outcome) => {
      if (this.target !== target) return; // restarted meanwhile
      this.running = false;
      if (this.ended !== null) return; // terminated meanwhile: no stop after the end
      if (outcome.kind === 'stop') this.stopped(outcome.stop);
      else if (outcome.kind === 'exit') this.finished(outcome.exit);
      else this.stopped({ reason: 'step', description: 'Step' });
    }, (e: unknown) => {
      this.running = false;
      this.finished({ reason: 'internal-error', code: 70, detail: e instanceof Error ? e.message : String(e) });
    });
  }

  private stopped(stop: StopInfo): void {
    this.lastStopInfo = stop;
    this.listener.onStop(stop);
  }

  /** A stop decided without running (VMM frame walk, pause while stopped): reported after the
   *  host has answered the request, as every other stop is. */
  private stoppedLater(stop: StopInfo): void {
    this.lastStopInfo = stop;
    setImmediate(() => this.listener.onStop(stop));
  }

  private finished(exit: RunExit): void {
    if (this.ended !== null && this.ended.reason === 'terminated') return;
    this.ended = exit;
    this.listener.onExit(exit);
  }

  /** Runs freely (breakpoints armed, `temp` too) until a stop, the exit, or the temporary breakpoint with ESP >= tempEsp. */
  private async runFree(temp: { addr: number; esp: number } | null): Promise<Outcome> {
    this.armBreakpoints(temp?.addr);
    const target = this.target;
    try {
      let stepPast = true; // the instruction at EIP runs even when a breakpoint is on it
      for (;;) {
        if (this.pauseRequested) return this.pauseOutcome();
        const exit = stepPast ? this.guest.runSlice(1, true) : this.guest.runSlice(DEBUG_SLICE_INSTRUCTIONS);
        stepPast = false;
        const o = this.classify(exit);
        if (o !== null) {
          if (o.kind !== 'breakpoint') return o;
          const eip = this.eip;
          if (temp !== null && eip === temp.addr && (this.guest.cpu.state.regs[4]! >>> 0) >= temp.esp) return { kind: 'temp' };
          const hit = this.breakpointHit(eip);
          if (hit !== null) return hit;
          stepPast = true;
        }
        await yieldToHost();
        if (this.target !== target) return { kind: 'temp' };
      }
    } finally {
      if (temp !== null) this.armBreakpoints();
    }
  }

  /** The outcome of a slice: null to go on, `breakpoint` when the CPU stopped at an armed address. */
  private classify(exit: RunExit | null): Outcome | { kind: 'breakpoint' } | null {
    if (this.pending !== null) {
      const stop = this.pending;
      const verify = this.pendingVerify;
      this.pending = null;
      this.pendingVerify = null;
      if (verify === null || verify()) return { kind: 'stop', stop };
    }
    if (exit !== null) return { kind: 'exit', exit };
    if (this.guest.lastStop === 'breakpoint') return { kind: 'breakpoint' };
    return null;
  }

  /** Decides a breakpoint hit at `eip`: conditions, hit counts, logpoints. Null: go on. */
  private breakpointHit(eip: number): Outcome | null {
    const ids: number[] = [];
    let reason: StopReason = 'breakpoint';
    for (const bp of this.target.table.at(eip)) {
      if (bp.condition !== undefined) {
        const r = this.evaluate(bp.condition);
        if (!r.ok) return { kind: 'stop', stop: { reason: 'breakpoint', description: 'Breakpoint condition error', text: r.error, breakpointIds: [bp.id] } };
        if (r.value === 0) continue;
      }
      bp.hits++;
      if (bp.hitCondition !== undefined) {
        const met = hitConditionMet(bp.hitCondition, bp.hits);
        if (typeof met === 'object') return { kind: 'stop', stop: { reason: 'breakpoint', description: 'Hit condition error', text: met.error, breakpointIds: [bp.id] } };
        if (!met) continue;
      }
      if (bp.logMessage !== undefined) {
        this.listener.onOutput(this.interpolate(bp.logMessage) + '\n', 'console');
        continue;
      }
      ids.push(bp.id);
      if (bp.kind === 'function') reason = 'function breakpoint';
      else if (bp.kind === 'instruction' && reason === 'breakpoint') reason = 'instruction breakpoint';
    }
    if (ids.length === 0) return null;
    return { kind: 'stop', stop: { reason, description: `Paused on ${reason}`, breakpointIds: ids } };
  }

  /** `{expr}` in a log message replaced by its value. */
  interpolate(message: string): string {
    return message.replace(/\{([^}]+)\}/g, (_, expr: string) => {
      const r = this.evaluate(expr);
      return r.ok ? `0x${r.value.toString(16)}` : `<${r.error}>`;
    });
  }

  private stepOnce(into: boolean): Outcome {
    const before = into && this.guest.hypervisor !== null ? snapshot(this.guest.cpu, this.guest.hypervisor) : null;
    this.stepEvents = [];
    let exit: RunExit | null;
    try {
      exit = this.guest.runSlice(1, true);
    } finally {
      const events = this.stepEvents;
      this.stepEvents = null;
      const vmm = this.guest.hypervisor;
      if (before !== null && vmm !== null && events.some((e) => VMM_ENTRY_KINDS.has(e.kind)) && !this.guest.exit) {
        this.vmm = buildVmmFrame(events, before, snapshot(this.guest.cpu, vmm), vmm, this.translationOf(events));
      }
    }
    const o = this.classify(exit);
    if (this.vmm !== null && (o === null || o.kind === 'breakpoint')) {
      const frame = this.vmm;
      // drive() clears the frame before the loop runs; this step made it, so it stays.
      return { kind: 'stop', stop: { reason: 'step', description: `Stepped into the VMM: ${frame.title}` } };
    }
    if (o !== null && o.kind !== 'breakpoint') return o;
    return { kind: 'stop', stop: { reason: 'step', description: 'Step' } };
  }

  /** bt: the translated code for the call-out's guest instruction, when the engine lists it. */
  private translationOf(events: readonly VmmEvent[]): string[] | undefined {
    const callout = events.find((e) => e.kind === 'callout' || e.kind === 'translation' || e.kind === 'inline');
    if (callout === undefined) return undefined;
    const engine = this.guest.hypervisor?.engine as unknown as { listing?: () => { units: readonly { instructions: readonly { eip: number; guest: string; translation: string }[] }[] } } | undefined;
    if (engine === undefined || typeof engine.listing !== 'function') return undefined;
    const out: string[] = [];
    for (const unit of engine.listing().units) {
      if (!unit.instructions.some((i) => i.eip === callout.eip)) continue;
      for (const i of unit.instructions) out.push(`0x${i.eip.toString(16).padStart(8, '0')}  ${i.guest.padEnd(24)} -> ${i.translation}`);
    }
    return out.length > 0 ? out : undefined;
  }

  private async stepLine(kind: 'in' | 'over' | 'out'): Promise<Outcome> {
    const cpu = this.guest.cpu;
    const lines = this.target.lines;
    const first = lines.entryAt(this.eip);
    const startEntry = first !== undefined && first.addr === this.eip ? first : undefined;
    const startEsp = cpu.state.regs[4]! >>> 0;
    const d = new Decoded();
    const target = this.target;
    for (let n = 1; ; n++) {
      const eip = this.eip;
      const esp = cpu.state.regs[4]! >>> 0;
      const flow = this.decodeAt(eip, d) ? d.form?.flow : undefined;
      const externalBefore = cpu.eventsDelivered[EVENT.EXTERNAL]!;
      let o: Outcome;
      // Over a call, and over INT n (a system call's handler runs through, as a call's body does).
      if (kind !== 'in' && (flow === 'call' || flow === 'int')) {
        o = await this.runFree({ addr: (eip + d.length) >>> 0, esp });
      } else {
        o = this.stepOnce(kind === 'in' && n === 1);
        if (this.vmm !== null) return o;
        if (o.kind === 'stop' && o.stop.reason === 'step') o = { kind: 'temp' };
        // An interrupt came in before the instruction: under `next` run the handler through.
        if (o.kind === 'temp' && kind !== 'in' && cpu.eventsDelivered[EVENT.EXTERNAL]! !== externalBefore && this.eip !== eip) {
          o = await this.runFree({ addr: eip, esp });
        }
      }
      if (o.kind !== 'temp') return o;
      if (kind === 'out') {
        if ((flow === 'ret' || flow === 'iret') && esp >= startEsp && this.eip !== eip) return stepStop();
      } else {
        if (startEntry === undefined) return stepStop();
        const now = lines.entryAt(this.eip);
        if (now !== undefined && now.addr === this.eip && (now.line !== startEntry.line || now.file !== startEntry.file)) return stepStop();
        if (now === undefined && kind === 'in') return stepStop();
      }
      if (n % STEPS_PER_TURN === 0) {
        await yieldToHost();
        if (this.target !== target) return { kind: 'temp' };
        if (this.pauseRequested) return this.pauseOutcome();
      }
    }
  }

  private pauseOutcome(): Outcome {
    this.pauseRequested = false;
    return { kind: 'stop', stop: { reason: 'pause', description: 'Paused' } };
  }

  /** Decodes the guest instruction at `eip` (through CS and the page tables). */
  decodeAt(eip: number, out: Decoded): boolean {
    const lin = (this.guest.cpu.state.segs[1]!.base + eip) >>> 0;
    const r = this.target.memory.read(lin, 15);
    if (r.bytes.length === 0) return false;
    decode(r.bytes, 0, eip, out, r.bytes.length);
    return out.formId >= 0;
  }

  /** Instructions from `addr` on, as `{addr, bytes, text}` (undecodable bytes as `db`). */
  disassemble(addr: number, count: number): { addr: number; bytes: string; text: string }[] {
    const d = new Decoded();
    const out: { addr: number; bytes: string; text: string }[] = [];
    let a = addr >>> 0;
    for (let i = 0; i < count; i++) {
      const lin = (this.guest.cpu.state.segs[1]!.base + a) >>> 0;
      const r = this.target.memory.read(lin, 15);
      if (r.bytes.length === 0) { out.push({ addr: a, bytes: '', text: '??' }); a = (a + 1) >>> 0; continue; }
      decode(r.bytes, 0, a, d, r.bytes.length);
      const ok = d.formId >= 0;
      const len = ok ? d.length : 1;
      const labelFor = (t: number): string | undefined => this.target.lines.nameOf(t)?.replace(/\+0x.*/, '') === this.target.lines.nameOf(t) ? this.target.lines.nameOf(t) : undefined;
      out.push({ addr: a, bytes: Array.from(r.bytes.subarray(0, len), (b) => b.toString(16).padStart(2, '0')).join(' '), text: ok ? formatInstruction(d, { labelFor }) : `db 0x${r.bytes[0]!.toString(16).padStart(2, '0')}` });
      a = (a + len) >>> 0;
    }
    return out;
  }

  // ---- expressions ----------------------------------------------------------------------------

  evaluate(text: string): EvalResult {
    const cpu = this.guest.cpu;
    const vmm = this.guest.hypervisor;
    const asm = this.guest.image.asm;
    return evaluate(text, {
      resolve: (name) => readRegister(cpu, vmm, name) ?? asm?.symbols.find((s) => s.name === name)?.value ?? this.target.lines.label(name)?.value,
      readMemory: (addr, size) => this.target.memory.readValue((cpu.state.segs[3]!.base + addr) >>> 0, size),
    });
  }

  /** Sets a register, a flag, or a memory expression (`dword [x]`); an error message otherwise. */
  assign(name: string, valueText: string): string | undefined {
    const value = this.evaluate(valueText);
    if (!value.ok) return value.error;
    const cpu = this.guest.cpu;
    const reg = readRegister(cpu, this.guest.hypervisor, name);
    if (reg !== undefined) return writeRegister(cpu, this.guest.hypervisor, name, value.value);
    const target = this.evaluate(name);
    if (target.ok && target.memory !== undefined) {
      const bytes = new Uint8Array(target.memory.size);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (value.value >>> (8 * i)) & 0xff;
      return this.writeMemory(target.memory.addr, bytes) === bytes.length ? undefined : `cannot write at 0x${target.memory.addr.toString(16)}`;
    }
    return `${name} cannot be set`;
  }

  // ---- hooks ------------------------------------------------------------------------------------

  /** Wires this debugger to a freshly booted machine: VMM events, guest exceptions, data writes. */
  private attach(t: Target): void {
    const cpu = t.run.cpu;
    const vmm = t.run.hypervisor;
    if (vmm !== null) {
      vmm.events.listener = (e) => {
        this.stepEvents?.push(e);
        const stop = this.filters.matchVmmEvent(e);
        if (stop !== null && this.target === t) this.requestStop(stop);
      };
    }
    const engineHooks = cpu.hooks;
    cpu.hooks = {
      ...engineHooks,
      onEvent: (vector, errorCode, kind) => {
        const trapsBefore = vmm?.counters.traps ?? 0;
        const handled = engineHooks.onEvent?.(vector, errorCode, kind) ?? false;
        if (kind === EVENT.EXCEPTION && (vmm?.counters.traps ?? 0) === trapsBefore && this.target === t) {
          const stop = this.filters.matchGuestException(vector, errorCode, cpu.instructionStart >>> 0);
          if (stop !== null) this.requestStop(stop);
        }
        return handled;
      },
      onWatchedWrite: (phys) => {
        engineHooks.onWatchedWrite?.(phys);
        const hit = t.data.onWrite(phys);
        if (hit !== null && this.target === t) this.requestStop(hit.stop, hit.verify);
      },
    };
    t.data.attach((stop) => { if (this.target === t) this.requestStop(stop); });
  }

  /** `verify`, when given, decides once the instruction has completed whether the stop stands. */
  private requestStop(stop: StopInfo, verify?: () => boolean): void {
    if (this.pending === null) {
      this.pending = stop;
      this.pendingVerify = verify ?? null;
    }
    this.guest.cpu.requestBreak();
  }
}

function stepStop(): Outcome {
  return { kind: 'stop', stop: { reason: 'step', description: 'Step' } };
}

/** Lets the host's event loop run (requests, pause) between slices. */
function yieldToHost(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function makeTarget(config: LaunchConfig, host: DebugHost, listener: DebugListener): { ok: true; target: Target } | { ok: false; message: string; diagnostics?: readonly AsmDiagnostic[] } {
  const bytes = host.readFile(config.program);
  if (bytes === undefined) return { ok: false, message: `program: cannot read ${config.program}` };
  const prepared = prepareGuest({ path: config.program, bytes }, host.sourceFiles !== undefined ? { files: host.sourceFiles } : {});
  if (!prepared.ok) {
    if (prepared.reason === 'assembly-error') {
      const errors = prepared.diagnostics.filter((d) => d.severity === 'error');
      const shown = errors.slice(0, 5).map((d) => `${d.file}:${d.line}:${d.column}: error: ${d.message}`);
      return { ok: false, message: `program: ${config.program} does not assemble:\n${shown.join('\n')}${errors.length > 5 ? `\n(and ${errors.length - 5} more)` : ''}`, diagnostics: errors };
    }
    return { ok: false, message: `program: ${prepared.message}` };
  }
  const decoder = new TextDecoder('latin1');
  const run = GuestRun.boot(prepared.image, {
    mode: config.mode,
    hypervisor: config.hypervisor,
    keepConsole: false,
    ...(config.vmcs !== undefined ? { vmcs: config.vmcs } : {}),
    ...(config.memoryMiB !== undefined ? { memoryMiB: config.memoryMiB } : {}),
    ...(config.maxInstructions !== undefined ? { maxInstructions: config.maxInstructions } : {}),
    ...(config.consoleInput !== undefined ? { consoleInput: config.consoleInput } : {}),
    onConsole: config.console === 'none' ? undefined : (chunk) => { listener.onOutput(decoder.decode(chunk), 'stdout'); },
  });
  if (!(run instanceof GuestRun)) {
    const field = run.reason === 'bad-configuration' ? (/^vmcs/.test(run.message) ? '' : 'mode: ') : 'program: ';
    return { ok: false, message: `${field}${run.message}` };
  }
  const lines = new SourceLines(prepared.image.asm);
  const memory = new GuestMemory(run.cpu);
  return {
    ok: true,
    target: {
      run, lines, memory, table: new BreakpointTable(lines, prepared.image.asm?.symbols ?? []), data: new DataWatch(run.cpu, memory),
      ...(config.mode === 'paravirtual' ? { startInfoPhys: run.cpu.state.regs[6]! >>> 0 } : {}),
    },
  };
}

export { guestExceptionName };
