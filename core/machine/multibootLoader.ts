// Loads a flat binary the way `qemu-system-i386 -kernel` loads a multiboot kernel (a.out kludge:
// header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr; same checks and offsets as
// QEMU's hw/i386/multiboot.c), or a headerless binary at an origin, and returns the entry state.

import { MULTIBOOT_INFO_PHYS_ADDR, multibootStringsBytes, writeMultibootInfo } from './multibootInfo';
import type { PhysicalMemory } from './physicalMemory';

export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;
export const DEFAULT_ORIGIN_PHYS_ADDR = 0x100000;
/** QEMU scans 8192 bytes for a header of up to 48 bytes, at 4-byte steps. */
const HEADER_SEARCH_BYTES = 8192 - 48;
const FLAG_AOUT_KLUDGE = 0x00010000;
const PAGE_BYTES = 4096;

export interface LoadOptions {
  /** Headerless binaries: load address (default 0x100000). */
  originPhysAddr?: number;
  /** Headerless binaries: first instruction (the `_start` symbol, default the first byte). */
  entryPhysAddr?: number;
  /** Name QEMU would put first in the command line (its -kernel path); default "kernel". */
  kernelName?: string;
  commandLine?: string;
  bootloaderName?: string;
}

/** Registers at the first instruction: 32-bit protected mode, CPL 0, flat segments, paging off. */
export interface EntryState {
  eip: number;
  eax: number;
  ebx: number;
  // What QEMU's multiboot option ROM happens to leave (measured); no specification promises
  // them, but a guest that prints them should match QEMU.
  ecx: number;
  edx: number;
  esp: number;
  ebp: number;
  esi: number;
  edi: number;
  eflags: number;
  /** Selectors of the option ROM's flat GDT: code 0x08, data 0x10. */
  cs: number;
  ds: number;
}

export type LoadErrorCode = 'empty-file' | 'bad-header' | 'not-in-ram' | 'elf-not-supported';

export interface LoadError { code: LoadErrorCode; message: string }

export interface LoadedImage {
  hasMultibootHeader: boolean;
  /** Byte offset of the multiboot header in the file, or -1. */
  headerOffset: number;
  loadPhysAddr: number;
  /** Bytes copied from the file, and bytes of image including the zeroed bss. */
  loadSizeBytes: number;
  imageSizeBytes: number;
  entry: EntryState;
}

export type LoadResult = { ok: true; image: LoadedImage } | { ok: false; error: LoadError };

interface Placement { fileOffset: number; loadPhysAddr: number; loadSizeBytes: number; imageSizeBytes: number; entryPhysAddr: number }

/** Loads `file` into `memory` and writes the multiboot info block. Never throws. */
export function loadKernel(memory: PhysicalMemory, file: Uint8Array, options: LoadOptions = {}): LoadResult {
  if (file.length === 0) return fail('empty-file', 'the kernel file is empty');
  const headerOffset = findMultibootHeader(file);
  const placed = headerOffset >= 0 ? placeWithHeader(file, headerOffset) : placeFlat(file, options);
  if ('code' in placed) return { ok: false, error: placed };

  const { fileOffset, loadPhysAddr, loadSizeBytes, imageSizeBytes, entryPhysAddr } = placed;
  if (!memory.contains(loadPhysAddr, imageSizeBytes) || loadPhysAddr + imageSizeBytes > memory.guestBytes) {
    return fail('not-in-ram', `the image ${range(loadPhysAddr, imageSizeBytes)} does not fit in ` +
      `${memory.guestBytes / 0x100000} MiB of RAM`);
  }
  const infoInput = {
    stringsPhysAddr: loadPhysAddr + alignUp(imageSizeBytes, PAGE_BYTES),
    commandLine: `${options.kernelName ?? 'kernel'} ${options.commandLine ?? ''}`,
    bootloaderName: options.bootloaderName ?? 'ringlab',
  };
  const stringsBytes = multibootStringsBytes(infoInput);
  if (!memory.contains(infoInput.stringsPhysAddr, stringsBytes)) {
    return fail('not-in-ram', `no room in RAM after the kernel for the multiboot command line ` +
      `${range(infoInput.stringsPhysAddr, stringsBytes)}`);
  }
  // QEMU's option ROM writes the info block and map first and copies the kernel last, so a
  // kernel loaded over them wins; same order here.
  writeMultibootInfo(memory, infoInput);
  memory.load(loadPhysAddr, file.subarray(fileOffset, fileOffset + loadSizeBytes));
  memory.zero(loadPhysAddr + loadSizeBytes, imageSizeBytes - loadSizeBytes);

  const memUpperHigh = memory.read32(MULTIBOOT_INFO_PHYS_ADDR + 8) & 0xffff0000;
  return {
    ok: true,
    image: {
      hasMultibootHeader: headerOffset >= 0,
      headerOffset,
      loadPhysAddr,
      loadSizeBytes,
      imageSizeBytes,
      entry: {
        eip: entryPhysAddr,
        eax: MULTIBOOT_BOOTLOADER_MAGIC,
        ebx: MULTIBOOT_INFO_PHYS_ADDR,
        ecx: entryPhysAddr, // the ROM jumps through ECX
        // DX holds the fw_cfg data port 0x511; the upper half is left from computing mem_upper.
        edx: (memUpperHigh | 0x511) >>> 0,
        esp: 0x6f08,
        ebp: 0,
        esi: 0,
        edi: 0x1000,
        eflags: 0x00000006,
        cs: 0x08,
        ds: 0x10,
      },
    },
  };
}

/** Offset of the first valid header (magic + flags + checksum = 0) in the first 8 KiB, or -1. */
export function findMultibootHeader(file: Uint8Array): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const lastOffset = Math.min(HEADER_SEARCH_BYTES, file.length - 12);
  for (let offset = 0; offset <= lastOffset; offset += 4) {
    if (view.getUint32(offset, true) !== MULTIBOOT_HEADER_MAGIC) continue;
    const sum = (MULTIBOOT_HEADER_MAGIC + view.getUint32(offset + 4, true) + view.getUint32(offset + 8, true)) >>> 0;
    if (sum === 0) return offset;
  }
  return -1;
}

function placeWithHeader(file: Uint8Array, offset: number): Placement | LoadError {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const flags = view.getUint32(offset + 4, true);
  if (!(flags & FLAG_AOUT_KLUDGE)) {
    return error('elf-not-supported', `the multiboot header at file offset ${hex(offset)} has no ` +
      `address fields (flags bit 16 clear), so QEMU would load it as ELF; RingLab loads flat binaries only`);
  }
  if (offset + 32 > file.length) {
    return error('bad-header', `the multiboot header at file offset ${hex(offset)} is cut off by the end of the file`);
  }
  const headerAddr = view.getUint32(offset + 12, true);
  const loadAddr = view.getUint32(offset + 16, true);
  const loadEndAddr = view.getUint32(offset + 20, true);
  const bssEndAddr = view.getUint32(offset + 24, true);
  const entryAddr = view.getUint32(offset + 28, true);
  if (headerAddr < loadAddr) {
    return error('bad-header', `header_addr ${hex(headerAddr)} is below load_addr ${hex(loadAddr)}`);
  }
  if (headerAddr - loadAddr > offset) {
    return error('bad-header', `header_addr - load_addr (${hex(headerAddr - loadAddr)}) is larger than ` +
      `the header's file offset ${hex(offset)}: load_addr would lie before the file`);
  }
  // The file byte that lands at load_addr: the header sits at header_addr in memory.
  const fileOffset = offset - (headerAddr - loadAddr);
  let loadSizeBytes: number;
  if (loadEndAddr !== 0) {
    if (loadEndAddr < loadAddr) {
      return error('bad-header', `load_end_addr ${hex(loadEndAddr)} is below load_addr ${hex(loadAddr)}`);
    }
    loadSizeBytes = loadEndAddr - loadAddr;
    if (fileOffset + loadSizeBytes > file.length) {
      return error('bad-header', `load_end_addr ${hex(loadEndAddr)} asks for ${loadSizeBytes} bytes but ` +
        `the file has ${file.length - fileOffset} from the load point`);
    }
  } else {
    loadSizeBytes = file.length - fileOffset; // 0 means "the rest of the file"
  }
  if (loadAddr + loadSizeBytes > 0xffffffff) {
    return error('bad-header', `the image does not fit in the 32-bit address space`);
  }
  let imageSizeBytes = loadSizeBytes;
  if (bssEndAddr !== 0) {
    if (bssEndAddr < loadAddr + loadSizeBytes) {
      return error('bad-header', `bss_end_addr ${hex(bssEndAddr)} is below the end of the loaded ` +
        `data ${hex(loadAddr + loadSizeBytes)}`);
    }
    imageSizeBytes = bssEndAddr - loadAddr;
  }
  return { fileOffset, loadPhysAddr: loadAddr, loadSizeBytes, imageSizeBytes, entryPhysAddr: entryAddr };
}

function placeFlat(file: Uint8Array, options: LoadOptions): Placement {
  const origin = options.originPhysAddr ?? DEFAULT_ORIGIN_PHYS_ADDR;
  return {
    fileOffset: 0,
    loadPhysAddr: origin,
    loadSizeBytes: file.length,
    imageSizeBytes: file.length,
    entryPhysAddr: options.entryPhysAddr ?? origin,
  };
}

function error(code: LoadErrorCode, message: string): LoadError { return { code, message }; }
function fail(code: LoadErrorCode, message: string): LoadResult { return { ok: false, error: { code, message } }; }
function alignUp(value: number, alignment: number): number { return Math.ceil(value / alignment) * alignment; }
function hex(value: number): string { return `0x${value.toString(16).toUpperCase().padStart(8, '0')}`; }
function range(physAddr: number, lengthBytes: number): string {
  return `${hex(physAddr)}-${hex(physAddr + Math.max(0, lengthBytes - 1))}`;
}
