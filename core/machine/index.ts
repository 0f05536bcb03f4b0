// Public surface of core/machine: what the CPU, the hypervisor, the debugger and the CLI import.

export { Machine, DEFAULT_MEMORY_MIB, type CpuBus, type MachineOptions, type StopReason, type StopRequest } from './machine';
export { PhysicalMemory, QEMU_UNASSIGNED_MEMORY_BYTE } from './physicalMemory';
export { IoBus, type IoDevice, type IoWidthBytes, type PortIo } from './ioBus';
export type { InterruptController, IrqLines } from './interrupts';
export { ConsoleBuffer, ConsoleInputQueue, type ConsoleSink } from './console';
export { VirtualClock, VIRT_NS_PER_INSTRUCTION } from './virtualClock';
export { PIT_HZ } from './pit8254';
export {
  loadKernel, findMultibootHeader, MULTIBOOT_BOOTLOADER_MAGIC, DEFAULT_ORIGIN_PHYS_ADDR,
  type EntryState, type LoadError, type LoadOptions, type LoadResult, type LoadedImage,
} from './multibootLoader';
export { MULTIBOOT_INFO_PHYS_ADDR, MULTIBOOT_MMAP_PHYS_ADDR } from './multibootInfo';
