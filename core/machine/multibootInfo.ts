// The multiboot information block that qemu-system-i386 -kernel hands a kernel, rebuilt with the
// same layout and values (measured with a probe kernel on QEMU 7.2 + SeaBIOS): the block at
// 0x9500, the BIOS E820 memory map at 0x9000, command line and loader name after the kernel.

import type { PhysicalMemory } from './physicalMemory';

export const MULTIBOOT_INFO_PHYS_ADDR = 0x9500;
export const MULTIBOOT_MMAP_PHYS_ADDR = 0x9000;
export const MULTIBOOT_INFO_SIZE_BYTES = 88;

const FLAG_MEMORY = 1 << 0;
const FLAG_BOOT_DEVICE = 1 << 1;
const FLAG_CMDLINE = 1 << 2;
const FLAG_MODULES = 1 << 3;
const FLAG_MMAP = 1 << 6;
const FLAG_LOADER_NAME = 1 << 9;
/** 0x24F, as QEMU sets. */
export const MULTIBOOT_INFO_FLAGS = FLAG_MEMORY | FLAG_BOOT_DEVICE | FLAG_CMDLINE | FLAG_MODULES |
  FLAG_MMAP | FLAG_LOADER_NAME;
/** "First hard disk, no partition": QEMU's fixed value. */
const BOOT_DEVICE = 0x8000ffff;

const MiB = 0x100000;
/** SeaBIOS keeps its tables in the top 128 KiB of RAM and marks them reserved. */
const BIOS_TABLES_BYTES = 0x20000;
/** SeaBIOS's extended BIOS data area starts at 0x9FC00, so INT 12h reports 639 KiB. */
const EBDA_PHYS_ADDR = 0x9fc00;
const E820_USABLE = 1;
const E820_RESERVED = 2;

export interface E820Entry { baseAddr: number; lengthBytes: number; type: number }

/** The E820 map SeaBIOS reports for `ramSizeBytes` of RAM below 3.5 GiB. */
export function biosMemoryMap(ramSizeBytes: number): E820Entry[] {
  const topUsable = Math.max(MiB, ramSizeBytes - BIOS_TABLES_BYTES);
  return [
    { baseAddr: 0, lengthBytes: EBDA_PHYS_ADDR, type: E820_USABLE },
    { baseAddr: EBDA_PHYS_ADDR, lengthBytes: 0xa0000 - EBDA_PHYS_ADDR, type: E820_RESERVED },
    { baseAddr: 0xf0000, lengthBytes: 0x10000, type: E820_RESERVED }, // BIOS ROM
    { baseAddr: MiB, lengthBytes: topUsable - MiB, type: E820_USABLE },
    { baseAddr: topUsable, lengthBytes: ramSizeBytes - topUsable, type: E820_RESERVED },
    { baseAddr: 0xfffc0000, lengthBytes: 0x40000, type: E820_RESERVED }, // BIOS flash alias
  ];
}

/** mem_upper: KiB of contiguous usable RAM from 1 MiB, as QEMU's multiboot option ROM derives it. */
export function memUpperKiB(ramSizeBytes: number): number {
  return Math.floor(Math.max(0, ramSizeBytes - BIOS_TABLES_BYTES - MiB) / 1024);
}
export const MEM_LOWER_KIB = EBDA_PHYS_ADDR / 1024;

export interface MultibootInfoInput {
  /** Where QEMU's buffer of "modules array, command lines, loader name" starts: page after the kernel. */
  stringsPhysAddr: number;
  /** "<kernel file name> <command line>", as QEMU builds it. */
  commandLine: string;
  bootloaderName: string;
}

/** Bytes needed at stringsPhysAddr. */
export function multibootStringsBytes(input: MultibootInfoInput): number {
  return input.commandLine.length + 1 + input.bootloaderName.length + 1;
}

/** Writes the map, strings and info block; the caller has checked everything fits in RAM. */
export function writeMultibootInfo(memory: PhysicalMemory, input: MultibootInfoInput): void {
  const map = biosMemoryMap(memory.guestBytes);
  let at = MULTIBOOT_MMAP_PHYS_ADDR;
  for (const entry of map) {
    memory.write32(at, 20); // size of the entry that follows, excluding this field
    memory.write32(at + 4, entry.baseAddr);
    memory.write32(at + 8, 0);
    memory.write32(at + 12, entry.lengthBytes);
    memory.write32(at + 16, 0);
    memory.write32(at + 20, entry.type);
    at += 24;
  }
  const commandLineAddr = input.stringsPhysAddr;
  const loaderNameAddr = writeCString(memory, commandLineAddr, input.commandLine);
  writeCString(memory, loaderNameAddr, input.bootloaderName);

  const info = MULTIBOOT_INFO_PHYS_ADDR;
  memory.zero(info, MULTIBOOT_INFO_SIZE_BYTES);
  memory.write32(info + 0, MULTIBOOT_INFO_FLAGS);
  memory.write32(info + 4, MEM_LOWER_KIB);
  memory.write32(info + 8, memUpperKiB(memory.guestBytes));
  memory.write32(info + 12, BOOT_DEVICE);
  memory.write32(info + 16, commandLineAddr);
  memory.write32(info + 20, 0); // mods_count
  memory.write32(info + 24, input.stringsPhysAddr); // mods_addr: QEMU points at the empty array
  memory.write32(info + 44, map.length * 24);
  memory.write32(info + 48, MULTIBOOT_MMAP_PHYS_ADDR);
  memory.write32(info + 64, loaderNameAddr);
}

/** Writes a NUL-terminated Latin-1 string; returns the address after the NUL. */
function writeCString(memory: PhysicalMemory, physAddr: number, text: string): number {
  for (let i = 0; i < text.length; i++) memory.write8(physAddr + i, text.charCodeAt(i) & 0xff);
  memory.write8(physAddr + text.length, 0);
  return physAddr + text.length + 1;
}
