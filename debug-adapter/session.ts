// The DAP session: translates requests into core/debug calls and core/debug's stops, output and
// exit into DAP events. It decides nothing about the guest; every user mistake (a bad launch
// field, a program that does not assemble, an unknown reference) is an error response, never an
// exception that ends the session.

import * as path from 'node:path';
import {
  Breakpoint as DapBreakpoint, DebugSession, ExitedEvent, Handles, InitializedEvent, OutputEvent, Scope as DapScope, Source,
  StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  CR3_DATA_ID, DebugRun, guestFrames, memoryDataId, parseLaunchConfig, readRegister, scopes, type Breakpoint, type DebugListener, type StopInfo, type VarNode,
} from '../core/debug';
import { hexDec } from '../core/debug/variables';
import { capabilities } from './capabilities';
import { disassembleAround } from './disassembly';
import { nodeHost, samePath } from './nodeHost';
import { TerminalConsole } from './terminalConsole';
import { pageTablesOf, stateOf, toProtocolEvent, translationCacheOf } from './ringlabRequests';
import { Event as DapEvent } from '@vscode/debugadapter';

const THREAD_ID = 1;
/** The VMM frame's id; guest frames are numbered from GUEST_FRAME_BASE. */
const VMM_FRAME_ID = 1;
const GUEST_FRAME_BASE = 1000;

type Container = { readonly nodes: () => VarNode[] };

/** A request the adapter refuses, with the message the user sees. */
class RequestError extends Error {}

export class RingLabSession extends DebugSession {
  private run: DebugRun | null = null;
  private variables = new Handles<Container>();
  /** Generated read-only sources (VMM listings, disassembly) by sourceReference. */
  private sources = new Handles<{ name: string; text: () => string }>();
  private configured = false;
  /** The guest's COM1 in the editor's terminal (console: integratedTerminal), once started. */
  private terminal: TerminalConsole | null = null;
  private clientRunsInTerminal = false;
  /** VMM events already sent as ringlab/vmmEvent. */
  private eventsSent = 0;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  /** Runs a handler; a RequestError (or any bug) answers the request with an error message. */
  private guard(response: DebugProtocol.Response, handler: () => void): void {
    try {
      handler();
    } catch (e) {
      this.fail(response, e instanceof RequestError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private fail(response: DebugProtocol.Response, message: string): void {
    response.success = false;
    response.message = message;
    this.sendResponse(response);
  }

  private requireRun(): DebugRun {
    if (this.run === null) throw new RequestError('no program is running: send launch first');
    return this.run;
  }

  private requireStopped(): DebugRun {
    const run = this.requireRun();
    if (run.isRunning) throw new RequestError('the guest is running: pause it first');
    return run;
  }

  private readonly listener: DebugListener = {
    onStop: (stop: StopInfo) => {
      this.variables.reset();
      this.sendVmmEvents();
      const e = new StoppedEvent(stop.reason, THREAD_ID, stop.text) as DebugProtocol.StoppedEvent;
      e.body.description = stop.description;
      e.body.allThreadsStopped = true;
      if (stop.breakpointIds !== undefined) e.body.hitBreakpointIds = [...stop.breakpointIds];
      this.sendEvent(e);
    },
    onOutput: (text, category) => {
      if (category === 'stdout' && this.terminal !== null) this.terminal.write(text);
      else this.sendEvent(new OutputEvent(text, category));
    },
    onExit: (exit) => {
      this.sendEvent(new OutputEvent(`guest ended: ${exit.reason}${exit.detail !== undefined ? ` (${exit.detail})` : ''}, status ${exit.code}\n`, 'console'));
      this.sendEvent(new ExitedEvent(exit.code));
      this.sendEvent(new TerminatedEvent());
    },
  };

  // ---- lifecycle --------------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.clientRunsInTerminal = args?.supportsRunInTerminalRequest === true;
    response.body = capabilities();
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): void {
    this.guard(response, () => {
      if (this.run !== null) throw new RequestError('already launched: this session debugs one program');
      const parsed = parseLaunchConfig(args);
      if (!parsed.ok) throw new RequestError(parsed.message);
      const config = { ...parsed.config, program: path.resolve(parsed.config.program) };
      const launched = DebugRun.launch(config, nodeHost, this.listener);
      if (!launched.ok) {
        this.sendEvent(new OutputEvent(launched.message + '\n', 'stderr'));
        throw new RequestError(launched.message);
      }
      this.run = launched.run;
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
      this.sendEvent(new OutputEvent(`RingLab: ${config.program} under ${config.mode}${config.mode !== 'native' ? ` (${config.hypervisor})` : ''}\n`, 'console'));
      for (const w of config.warnings) this.sendEvent(new OutputEvent(`${w}\n`, 'console'));
      if (config.console === 'integratedTerminal') this.openTerminal(launched.run, path.dirname(config.program));
    });
  }

  /** Starts the terminal bridge through the client, or says why the Debug Console is used instead. */
  private openTerminal(run: DebugRun, cwd: string): void {
    const fallback = (why: string): void => {
      this.terminal?.close();
      this.terminal = null;
      this.sendEvent(new OutputEvent(`console: ${why}; the guest's COM1 output appears here, and \`>text\` sends input\n`, 'console'));
    };
    if (!this.clientRunsInTerminal) { fallback('this client cannot run a terminal (no runInTerminal)'); return; }
    const terminal = new TerminalConsole((bytes) => run.sendInput(bytes));
    this.terminal = terminal;
    terminal.ready.then((port) => {
      this.runInTerminalRequest({ kind: 'integrated', title: 'RingLab COM1', cwd, args: TerminalConsole.bridgeArgs(port) }, 10000, (r) => {
        if (!r.success) fallback(`the terminal did not start (${r.message ?? 'no reason given'})`);
      });
    }, (e: unknown) => fallback(`no terminal (${e instanceof Error ? e.message : String(e)})`));
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.guard(response, () => {
      const run = this.requireRun();
      this.sendResponse(response);
      if (!this.configured) {
        this.configured = true;
        run.start();
      }
    });
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    this.guard(response, () => {
      const run = this.requireRun();
      const r = run.restart();
      if (!r.ok) throw new RequestError(r.message);
      this.variables.reset();
      this.eventsSent = 0;
      this.sendResponse(response);
      run.start();
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.run?.terminate();
    this.terminal?.close();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.run?.terminate();
    this.terminal?.close();
    this.terminal = null;
    this.sendResponse(response);
  }

  // ---- breakpoints ------------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, () => {
      const run = this.requireRun();
      const sourcePath = args?.source?.path;
      if (typeof sourcePath !== 'string' && typeof args?.source?.sourceReference === 'number') {
        // A generated listing (the VMM frame, a disassembly): read-only, nothing to stop at.
        response.body = { breakpoints: (args.breakpoints ?? []).map((b) => ({ verified: false, line: b.line, message: 'a generated listing (VMM or disassembly) takes no breakpoints; use the disassembly view for addresses' })) };
        this.sendResponse(response);
        return;
      }
      if (typeof sourcePath !== 'string') throw new RequestError('setBreakpoints: source.path is required (a file of the program)');
      const file = run.sourceLines.files.find((f) => samePath(f, sourcePath)) ?? null;
      const given: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      const requests = given.map((b) => ({
        line: this.convertClientLineToDebugger(b.line),
        ...(b.column !== undefined ? { column: b.column } : {}),
        ...(b.condition !== undefined ? { condition: b.condition } : {}),
        ...(b.hitCondition !== undefined ? { hitCondition: b.hitCondition } : {}),
        ...(b.logMessage !== undefined ? { logMessage: b.logMessage } : {}),
      }));
      const set = run.setSourceBreakpoints(file, path.basename(sourcePath), requests);
      response.body = { breakpoints: set.map((bp) => this.toDap(bp)) };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, () => {
      const run = this.requireRun();
      if (!Array.isArray(args?.breakpoints)) throw new RequestError('setFunctionBreakpoints: breakpoints must be an array');
      const set = run.setFunctionBreakpoints(args.breakpoints.map((b) => ({
        name: String(b.name), ...(b.condition !== undefined ? { condition: b.condition } : {}), ...(b.hitCondition !== undefined ? { hitCondition: b.hitCondition } : {}),
      })));
      response.body = { breakpoints: set.map((bp) => this.toDap(bp)) };
      this.sendResponse(response);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.guard(response, () => {
      const run = this.requireRun();
      if (!Array.isArray(args?.breakpoints)) throw new RequestError('setInstructionBreakpoints: breakpoints must be an array');
      const set = run.setInstructionBreakpoints(args.breakpoints.map((b) => ({
        addr: (parseAddress(b.instructionReference) + (b.offset ?? 0)) >>> 0,
        ...(b.condition !== undefined ? { condition: b.condition } : {}), ...(b.hitCondition !== undefined ? { hitCondition: b.hitCondition } : {}),
      })));
      response.body = { breakpoints: set.map((bp) => this.toDap(bp)) };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, () => {
      const run = this.requireRun();
      const requests = [
        ...(args?.filters ?? []).map((filterId) => ({ filterId })),
        ...(args?.filterOptions ?? []).map((o) => ({ filterId: o.filterId, ...(o.condition !== undefined ? { condition: o.condition } : {}) })),
      ];
      const results = run.setExceptionFilters(requests);
      response.body = { breakpoints: results.map((r) => ({ verified: r.verified, ...(r.message !== undefined ? { message: r.message } : {}) })) };
      this.sendResponse(response);
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.guard(response, () => {
      const run = this.requireRun();
      const name = String(args?.name ?? '').trim();
      if (name.toLowerCase() === 'cr3') {
        response.body = { dataId: CR3_DATA_ID, description: 'CR3 loads (a new address space)', accessTypes: ['write'] };
      } else if (args.asAddress === true) {
        const size = args.bytes === 1 || args.bytes === 2 ? args.bytes : 4;
        const addr = parseAddress(name);
        response.body = { dataId: memoryDataId(addr, size), description: `${size} byte(s) at 0x${addr.toString(16).padStart(8, '0')}`, accessTypes: ['write'] };
      } else {
        const r = run.evaluate(name);
        const isRegister = readRegister(run.guest.cpu, run.guest.hypervisor, name) !== undefined;
        if (!r.ok || isRegister) {
          response.body = { dataId: null, description: isRegister ? `${name} is a register: only CR3 and guest memory can be watched` : (r as { error: string }).error };
        } else {
          const addr = r.memory?.addr ?? r.value;
          const size = r.memory?.size ?? 4;
          response.body = { dataId: memoryDataId(addr, size), description: `writes to ${size === 4 ? 'dword' : size === 2 ? 'word' : 'byte'} [0x${addr.toString(16).padStart(8, '0')}] (${name})`, accessTypes: ['write'] };
        }
      }
      this.sendResponse(response);
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.guard(response, () => {
      const run = this.requireRun();
      if (!Array.isArray(args?.breakpoints)) throw new RequestError('setDataBreakpoints: breakpoints must be an array');
      const results = run.setDataBreakpoints(args.breakpoints.map((b) => ({ dataId: String(b.dataId) })));
      response.body = { breakpoints: results.map((r) => ({ verified: r.verified, ...(r.message !== undefined ? { message: r.message } : {}) })) };
      this.sendResponse(response);
    });
  }

  private toDap(bp: Breakpoint): DebugProtocol.Breakpoint {
    const out = new DapBreakpoint(bp.verified) as DebugProtocol.Breakpoint;
    out.id = bp.id;
    if (bp.line !== undefined) out.line = this.convertDebuggerLineToClient(bp.line);
    if (bp.column !== undefined) out.column = bp.column;
    if (bp.file !== undefined) out.source = new Source(path.basename(bp.file), bp.file);
    if (bp.message !== undefined) out.message = bp.message;
    if (bp.addr !== undefined) out.instructionReference = hexAddr(bp.addr);
    return out;
  }

  // ---- run control ------------------------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const mode = this.run?.config.mode ?? 'native';
    response.body = { threads: [new Thread(THREAD_ID, `vCPU 0 (${mode})`)] };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      response.body = { allThreadsContinued: true };
      this.sendResponse(response);
      run.continue();
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      this.sendResponse(response);
      run.next(args?.granularity === 'instruction' ? 'instruction' : 'line');
    });
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      this.sendResponse(response);
      run.stepIn(args?.granularity === 'instruction' ? 'instruction' : 'line');
    });
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      this.sendResponse(response);
      run.stepOut();
    });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.guard(response, () => {
      const run = this.requireRun();
      this.sendResponse(response);
      run.pause();
    });
  }

  // ---- inspection -------------------------------------------------------------------------------

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      const frames: DebugProtocol.StackFrame[] = [];
      const vmm = run.vmmFrame;
      if (vmm !== null) {
        const ref = this.sources.create({ name: vmm.name, text: () => vmm.lines.join('\n') + '\n' });
        const source = new Source(vmm.name, undefined, ref, 'generated by RingLab: the VMM (read-only)');
        (source as DebugProtocol.Source).presentationHint = 'emphasize';
        const f = new StackFrame(VMM_FRAME_ID, `VMM ${vmm.event.kind}: ${vmm.event.instruction ?? vmm.event.detail}`, source, this.convertDebuggerLineToClient(vmm.line + 1), 1) as DebugProtocol.StackFrame;
        f.instructionPointerReference = hexAddr(vmm.event.eip);
        frames.push(f);
      }
      guestFrames(run).forEach((g, i) => {
        let source: Source;
        let line: number;
        if (g.file !== undefined && g.line !== undefined) {
          source = new Source(path.basename(g.file), g.file);
          line = g.line;
        } else {
          const at = g.addr;
          const ref = this.sources.create({ name: `0x${at.toString(16).padStart(8, '0')}.dis`, text: () => disassembleAround(run, at, 0, 64).map((l) => `${l.address}  ${l.instructionBytes?.padEnd(24) ?? ''}  ${l.instruction}`).join('\n') + '\n' });
          source = new Source(`disassembly @0x${at.toString(16).padStart(8, '0')}`, undefined, ref, 'disassembly (read-only)');
          line = 1;
        }
        const f = new StackFrame(GUEST_FRAME_BASE + i, g.name, source, this.convertDebuggerLineToClient(line), g.column ?? 1) as DebugProtocol.StackFrame;
        f.instructionPointerReference = hexAddr(g.addr);
        frames.push(f);
      });
      const start = args?.startFrame ?? 0;
      const levels = args?.levels ?? 0;
      response.body = { stackFrames: levels > 0 ? frames.slice(start, start + levels) : frames.slice(start), totalFrames: frames.length };
      this.sendResponse(response);
    });
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.guard(response, () => {
      const ref = args?.source?.sourceReference ?? args?.sourceReference;
      const src = typeof ref === 'number' && ref > 0 ? this.sources.get(ref) : undefined;
      if (src === undefined) throw new RequestError(`unknown sourceReference ${String(ref)}`);
      response.body = { content: src.text(), mimeType: 'text/x-guest-asm' };
      this.sendResponse(response);
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      if (typeof args?.frameId !== 'number') throw new RequestError('scopes: frameId is required');
      const list: DebugProtocol.Scope[] = [];
      const vmm = run.vmmFrame;
      if (args.frameId === VMM_FRAME_ID && vmm !== null) {
        const e = vmm.event;
        const nodes = (): VarNode[] => [
          { name: 'kind', value: e.kind },
          { name: 'guest eip', value: hexDec(e.eip), memoryReference: e.eip },
          ...(e.instruction !== undefined ? [{ name: 'instruction', value: e.instruction }] : []),
          { name: 'detail', value: e.detail },
          ...(e.reason !== undefined ? [{ name: 'exit reason', value: String(e.reason) }] : []),
          ...(e.qualification !== undefined ? [{ name: 'exit qualification', value: hexDec(e.qualification) }] : []),
          { name: 'at instruction', value: String(e.at) },
        ];
        list.push(new DapScope('VMM event', this.variables.create({ nodes }), false));
      }
      for (const s of scopes(run.guest.cpu, run.guest.hypervisor, run.startInfoPhys)) {
        const scope = new DapScope(s.name, this.variables.create({ nodes: s.variables }), s.expensive) as DebugProtocol.Scope;
        if (s.presentationHint !== undefined) scope.presentationHint = s.presentationHint;
        list.push(scope);
      }
      response.body = { scopes: list };
      this.sendResponse(response);
    });
  }

  private container(ref: unknown): Container {
    const c = typeof ref === 'number' && ref > 0 ? this.variables.get(ref) : undefined;
    if (c === undefined) throw new RequestError(`unknown variablesReference ${String(ref)} (references last until the guest runs again)`);
    return c;
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guard(response, () => {
      this.requireStopped();
      const nodes = this.container(args?.variablesReference).nodes();
      const start = args.start ?? 0;
      const shown = args.count !== undefined && args.count > 0 ? nodes.slice(start, start + args.count) : nodes.slice(start);
      response.body = { variables: shown.map((n) => this.toVariable(n)) };
      this.sendResponse(response);
    });
  }

  private toVariable(n: VarNode): DebugProtocol.Variable {
    const v: DebugProtocol.Variable = { name: n.name, value: n.value, variablesReference: n.children !== undefined ? this.variables.create({ nodes: n.children }) : 0 };
    if (n.type !== undefined) v.type = n.type;
    if (n.evaluateName !== undefined) v.evaluateName = n.evaluateName;
    if (n.memoryReference !== undefined) v.memoryReference = hexAddr(n.memoryReference);
    if (n.assignName === undefined) v.presentationHint = { attributes: ['readOnly'] };
    return v;
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      const node = this.container(args?.variablesReference).nodes().find((n) => n.name === args.name);
      if (node === undefined) throw new RequestError(`no variable '${String(args.name)}' in that scope`);
      if (node.assignName === undefined) throw new RequestError(`${node.name} is read-only`);
      const error = run.assign(node.assignName, String(args.value));
      if (error !== undefined) throw new RequestError(error);
      const value = run.evaluate(node.assignName);
      response.body = { value: value.ok ? (node.type === 'flag' || node.assignName === 'iopl' ? String(value.value) : hexDec(value.value)) : String(args.value) };
      this.sendResponse(response);
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, () => {
      const run = this.requireRun();
      const expression = String(args?.expression ?? '');
      // The debug console's input line: `>text` goes to the guest's serial port (COM1).
      if (args.context === 'repl' && expression.startsWith('>')) {
        run.sendInput(expression.slice(1) + '\n');
        response.body = { result: `sent ${expression.length} byte(s) to COM1`, variablesReference: 0 };
        this.sendResponse(response);
        return;
      }
      if (run.isRunning) throw new RequestError('the guest is running: pause it to evaluate');
      const r = run.evaluate(expression);
      if (!r.ok) throw new RequestError(r.error);
      response.body = { result: hexDec(r.value), variablesReference: 0, memoryReference: hexAddr(r.memory?.addr ?? r.value) };
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      const stop = run.lastStop;
      if (stop === null || stop.exception === undefined) throw new RequestError('the guest is not stopped on an exception');
      const x = stop.exception;
      response.body = { exceptionId: x.id, description: x.description, breakMode: 'always', details: { message: x.details, typeName: x.id } };
      this.sendResponse(response);
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      const addr = (parseAddress(args?.memoryReference) + (args.offset ?? 0)) >>> 0;
      const count = Math.max(0, Math.min(args.count ?? 0, 1 << 20));
      const r = run.memory.read(addr, count);
      response.body = { address: hexAddr(addr), data: Buffer.from(r.bytes).toString('base64'), unreadableBytes: r.unreadable };
      this.sendResponse(response);
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      const addr = (parseAddress(args?.memoryReference) + (args.offset ?? 0)) >>> 0;
      if (typeof args.data !== 'string') throw new RequestError('writeMemory: data (base64) is required');
      const bytes = Buffer.from(args.data, 'base64');
      const written = run.writeMemory(addr, bytes);
      if (written === 0 && bytes.length > 0) throw new RequestError(`writeMemory: 0x${addr.toString(16).padStart(8, '0')} is not mapped to guest RAM`);
      response.body = { bytesWritten: written };
      this.sendResponse(response);
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.guard(response, () => {
      const run = this.requireStopped();
      const addr = (parseAddress(args?.memoryReference) + (args.offset ?? 0)) >>> 0;
      const count = Math.max(0, Math.min(args.instructionCount ?? 0, 4096));
      response.body = { instructions: disassembleAround(run, addr, args.instructionOffset ?? 0, count) };
      this.sendResponse(response);
    });
  }

  /** What the VMM did since the last stop, as ringlab/vmmEvent events (the last 200 at most). */
  private sendVmmEvents(): void {
    const log = this.run?.guest.hypervisor?.events;
    if (log === undefined) return;
    const fresh = Math.min(log.total - this.eventsSent, 200);
    this.eventsSent = log.total;
    if (fresh <= 0) return;
    for (const e of log.recent().slice(-fresh)) {
      const body = toProtocolEvent(e);
      if (body !== null) this.sendEvent(new DapEvent('ringlab/vmmEvent', body));
    }
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.guard(response, () => {
      if (command === 'ringlab/state' || command === 'ringlab/translationCache' || command === 'ringlab/pageTables') {
        const run = this.requireStopped();
        const cr3 = (args as { cr3?: unknown } | undefined)?.cr3;
        response.body = command === 'ringlab/state' ? stateOf(run)
          : command === 'ringlab/translationCache' ? translationCacheOf(run)
            : pageTablesOf(run, typeof cr3 === 'number' ? cr3 : undefined);
        this.sendResponse(response);
        return;
      }
      if (command === 'ringlab/consoleInput') {
        const text = (args as { text?: unknown } | undefined)?.text;
        if (typeof text !== 'string') throw new RequestError('ringlab/consoleInput: text (a string) is required');
        this.requireRun().sendInput(text);
        this.sendResponse(response);
        return;
      }
      throw new RequestError(`unknown request '${command}'`);
    });
  }
}

function hexAddr(addr: number): string {
  return `0x${(addr >>> 0).toString(16).padStart(8, '0')}`;
}

/** A memory or instruction reference: `0x...` or decimal. */
function parseAddress(ref: unknown): number {
  if (typeof ref !== 'string' || !/^(0x[0-9a-f]{1,8}|\d+)$/i.test(ref.trim())) throw new RequestError(`'${String(ref)}' is not a memory reference (expected an address like 0x00100000)`);
  return Number(ref.trim()) >>> 0;
}
