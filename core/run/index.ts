// Public surface of core/run: how a host runs a guest from a file to a report.

export { GuestRun, runGuest, DEFAULT_SLICE_INSTRUCTIONS, type GuestOutcome, type GuestRunOptions, type RunNote } from './guestRun';
export { prepareGuest, isSourceFile, SOURCE_EXTENSIONS, type GuestFile, type GuestImage, type PrepareOptions, type PrepareResult } from './guestImage';
export { EXIT_STATUS, processExitStatus } from './exitStatus';
export { MODES, MODE_ALIASES, HYPERVISOR_TYPES, parseMode, parseHypervisorType, modeAvailable, type Mode, type HypervisorType } from './modes';
export type { RunReport, RunExit, RunStats, EarlyReport, SegmentReport } from './runReport';
export { ConsoleStream } from './consoleStream';
export { compareModes, costTable, describeExit, type Comparison, type CompareRow, type CompareOptions, type CompareVerdict } from './compare';
