// Public surface of core/cpu: what the machine runner, the hypervisor, the debugger and the CLI import.

export { Cpu, type CpuHooks, type CpuMachine, type CpuStop, type CpuStopReason } from './cpu';
export { CpuState, SegmentCache, EFLAGS, CR0, CR4, ARITH_FLAGS } from './cpuState';
export { CpuFault, VECTOR, hasErrorCode } from './cpuFault';
export { EVENT, type EventKind } from './interrupts';
export { applyEntryState, bootKernel, runKernel, type BootResult } from './boot';
export { snapshotCpu, type CpuSnapshot, type SegmentSnapshot } from './snapshot';
export { CPUID_VENDOR, CPUID_BRAND, CPUID_FEATURES_EDX } from './cpuid';
export { MSR } from './msr';
export { PF_ERROR } from './paging';
