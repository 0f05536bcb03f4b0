// core/debug: run control for the debugger (breakpoints, stepping, events, variables); no protocol types.

export { DebugRun, DEBUG_SLICE_INSTRUCTIONS, type DebugHost, type DebugListener, type LaunchResult, type StopInfo, type StopReason } from './debugRun';
export { parseLaunchConfig, type LaunchConfig, type ConfigResult } from './launchConfig';
export type { Breakpoint, BreakpointKind, SourceBreakpointRequest, FunctionBreakpointRequest, InstructionBreakpointRequest } from './breakpoints';
export { EXCEPTION_FILTERS, type ExceptionFilterInfo, type ExceptionFilterRequest } from './exceptionFilters';
export { memoryDataId, CR3_DATA_ID, type DataBreakpointRequest } from './dataWatch';
export { evaluate, type EvalResult, type EvalContext } from './expression';
export { readRegister, writeRegister, registerNames } from './registers';
export { walkLinear, entryFlags } from './pageWalk';
export type { VmmFrame } from './vmmFrame';
export { scopes, type VarNode } from './variables';
export { guestFrames, type GuestFrame } from './callStack';
