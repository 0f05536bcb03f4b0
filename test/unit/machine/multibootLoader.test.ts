import * as assert from 'assert';
import { loadKernel, type LoadResult } from '../../../core/machine/multibootLoader';
import { MULTIBOOT_INFO_PHYS_ADDR } from '../../../core/machine/multibootInfo';
import { PhysicalMemory } from '../../../core/machine/physicalMemory';
import { assembleWithNasm, fixtureBytes, fixtureText, liveOracle, runUnderQemu, toolAvailable } from './fixtures';

function loaded(result: LoadResult) {
  if (!result.ok) assert.fail(`load failed: ${result.error.code}: ${result.error.message}`);
  return result.image;
}

function words(memory: PhysicalMemory, physAddr: number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(memory.read32(physAddr + 4 * i).toString(16).toUpperCase().padStart(8, '0'));
  return out.join(' ');
}

/** Builds a kernel with an a.out-kludge header at `offset` and the given header fields. */
function kernelWithHeader(fields: { header: number; load: number; loadEnd: number; bssEnd: number; entry: number },
  sizeBytes = 256, offset = 0): Uint8Array {
  const file = new Uint8Array(sizeBytes);
  const view = new DataView(file.buffer);
  const flags = 0x00010000;
  const words = [0x1badb002, flags, (-(0x1badb002 + flags)) >>> 0, fields.header, fields.load, fields.loadEnd, fields.bssEnd, fields.entry];
  words.forEach((word, i) => view.setUint32(offset + 4 * i, word >>> 0, true));
  return file;
}

describe('machine: multiboot loader', () => {
  it('loads an a.out-kludge kernel made by NASM at load_addr, zeroes its bss and enters at entry_addr', () => {
    const memory = new PhysicalMemory(32);
    memory.bytes.fill(0x55, 0x100000, 0x104000); // bss must be zeroed, not merely fresh
    const file = fixtureBytes('aout-kludge');
    const image = loaded(loadKernel(memory, file));
    assert.strictEqual(image.hasMultibootHeader, true);
    assert.strictEqual(image.headerOffset, 0);
    assert.strictEqual(image.loadPhysAddr, 0x100000);
    assert.strictEqual(image.loadSizeBytes, file.length);
    assert.strictEqual(image.imageSizeBytes, file.length + 4096);
    assert.deepStrictEqual(memory.bytes.subarray(0x100000, 0x100000 + file.length), file);
    assert.ok(memory.bytes.subarray(0x100000 + file.length, 0x100000 + file.length + 4096).every((b) => b === 0));
    assert.strictEqual(memory.read8(0x100000 + file.length + 4096), 0x55, 'nothing past bss_end is touched');
    assert.strictEqual(image.entry.eip, 0x100020);
    assert.strictEqual(image.entry.eax, 0x2badb002);
    assert.strictEqual(image.entry.ebx, MULTIBOOT_INFO_PHYS_ADDR);
  });

  it('copies from file offset header_offset - (header_addr - load_addr) and stops at load_end_addr, as QEMU', () => {
    const memory = new PhysicalMemory(32);
    const file = fixtureBytes('header-offset');
    const image = loaded(loadKernel(memory, file));
    assert.strictEqual(image.headerOffset, 96);
    assert.strictEqual(image.loadPhysAddr, 0x200000);
    assert.strictEqual(memory.read8(0x200000), 0x90, 'the 32 filler bytes before load_addr are skipped');
    assert.strictEqual(image.loadSizeBytes, file.length - 32 - 16);
    assert.strictEqual(memory.read8(0x200000 + image.loadSizeBytes), 0, 'bytes past load_end_addr are bss, not file');
    assert.strictEqual(image.imageSizeBytes, image.loadSizeBytes + 256);
    assert.strictEqual(image.entry.eip, 0x200000 + 64 + 32);
  });

  it('loads a headerless binary at its origin and starts at the given entry (_start)', () => {
    const memory = new PhysicalMemory(32);
    const file = fixtureBytes('headerless');
    const image = loaded(loadKernel(memory, file, { entryPhysAddr: 0x100010 }));
    assert.strictEqual(image.hasMultibootHeader, false);
    assert.strictEqual(image.loadPhysAddr, 0x100000);
    assert.strictEqual(image.entry.eip, 0x100010);
    assert.strictEqual(memory.read8(0x100010), 0xb0); // mov al, 3
    const elsewhere = loaded(loadKernel(new PhysicalMemory(32), file, { originPhysAddr: 0x7c00 }));
    assert.strictEqual(elsewhere.entry.eip, 0x7c00, 'entry defaults to the first byte');
  });

  it('builds the multiboot info block and memory map exactly as qemu-system-i386 -m 32 does (recorded transcript)', () => {
    const memory = new PhysicalMemory(32);
    const image = loaded(loadKernel(memory, fixtureBytes('mbinfo-probe'), { kernelName: 'mbinfo-probe.bin' }));
    const transcript = fixtureText('mbinfo-probe.qemu.txt').split('\n');
    const expectedInfo = transcript.find((line) => line.startsWith('mbi: '))!.slice(5).trim();
    assert.strictEqual(words(memory, MULTIBOOT_INFO_PHYS_ADDR, 22), expectedInfo);
    const mmapStart = transcript.indexOf('mmap:') + 1;
    for (let i = 0; i < 6; i++) {
      assert.strictEqual(words(memory, 0x9000 + 24 * i, 6), transcript[mmapStart + i]!.trim(), `mmap entry ${i}`);
    }
    const regs = transcript[0]!.split(': ')[1]!.trim().split(' ').map((h) => parseInt(h, 16));
    const e = image.entry;
    assert.deepStrictEqual([e.eax, e.ecx, e.edx, e.ebx, e.esp, e.ebp, e.esi, e.edi, e.eflags, e.cs, e.ds],
      regs.slice(0, 11), 'entry registers as QEMU leaves them');
  });

  it('reports mem_lower 639 and mem_upper (RAM - 1 MiB - 128 KiB) / 1 KiB for other sizes, as QEMU', () => {
    for (const [mib, memUpper] of [[16, 0x3b80], [128, 0x1fb80]] as const) {
      const memory = new PhysicalMemory(mib);
      loaded(loadKernel(memory, fixtureBytes('aout-kludge')));
      assert.strictEqual(memory.read32(MULTIBOOT_INFO_PHYS_ADDR + 4), 639);
      assert.strictEqual(memory.read32(MULTIBOOT_INFO_PHYS_ADDR + 8), memUpper);
    }
  });

  it('puts "<kernel name> <command line>" and the loader name on the page after the image', () => {
    const memory = new PhysicalMemory(32);
    loaded(loadKernel(memory, fixtureBytes('aout-kludge'), { kernelName: 'k.bin', commandLine: 'quiet' }));
    const cmdlineAddr = memory.read32(MULTIBOOT_INFO_PHYS_ADDR + 16);
    assert.strictEqual(cmdlineAddr, 0x102000);
    const text = String.fromCharCode(...memory.bytes.subarray(cmdlineAddr, cmdlineAddr + 20));
    assert.strictEqual(text, 'k.bin quiet\0ringlab\0');
    assert.strictEqual(memory.read32(MULTIBOOT_INFO_PHYS_ADDR + 64), cmdlineAddr + 12);
  });

  describe('bad input gives an error value, never an exception', () => {
    const cases: [string, Uint8Array, number, string][] = [
      ['an empty file', new Uint8Array(0), 32, 'empty-file'],
      ['a load address outside RAM', kernelWithHeader({ header: 0x4000000, load: 0x4000000, loadEnd: 0, bssEnd: 0, entry: 0x4000020 }), 32, 'not-in-ram'],
      ['bss past the end of RAM', kernelWithHeader({ header: 0x100000, load: 0x100000, loadEnd: 0, bssEnd: 0x3000000, entry: 0x100020 }), 32, 'not-in-ram'],
      ['header_addr below load_addr', kernelWithHeader({ header: 0x100000, load: 0x100004, loadEnd: 0, bssEnd: 0, entry: 0x100020 }), 32, 'bad-header'],
      ['load_addr before the start of the file', kernelWithHeader({ header: 0x100010, load: 0x100000, loadEnd: 0, bssEnd: 0, entry: 0x100020 }), 32, 'bad-header'],
      ['load_end_addr below load_addr', kernelWithHeader({ header: 0x100000, load: 0x100000, loadEnd: 0xff000, bssEnd: 0, entry: 0x100020 }), 32, 'bad-header'],
      ['load_end_addr past the end of the file', kernelWithHeader({ header: 0x100000, load: 0x100000, loadEnd: 0x101000, bssEnd: 0, entry: 0x100020 }), 32, 'bad-header'],
      ['bss_end_addr inside the loaded data', kernelWithHeader({ header: 0x100000, load: 0x100000, loadEnd: 0, bssEnd: 0x100010, entry: 0x100020 }), 32, 'bad-header'],
      ['a header cut off by the end of the file', kernelWithHeader({ header: 0, load: 0, loadEnd: 0, bssEnd: 0, entry: 0 }).subarray(0, 20), 32, 'bad-header'],
      ['a headerless file larger than RAM above its origin', new Uint8Array(2 * 1024 * 1024), 2, 'not-in-ram'],
    ];
    for (const [what, file, mib, code] of cases) {
      it(what, () => {
        const result = loadKernel(new PhysicalMemory(mib), file);
        assert.strictEqual(result.ok, false);
        if (!result.ok) {
          assert.strictEqual(result.error.code, code, result.error.message);
          assert.ok(result.error.message.length > 10);
        }
      });
    }

    it('a header without the a.out kludge (an ELF kernel for QEMU)', () => {
      const file = new Uint8Array(64);
      const view = new DataView(file.buffer);
      view.setUint32(0, 0x1badb002, true);
      view.setUint32(4, 3, true);
      view.setUint32(8, (-(0x1badb002 + 3)) >>> 0, true);
      const result = loadKernel(new PhysicalMemory(32), file);
      assert.ok(!result.ok && result.error.code === 'elf-not-supported');
    });
  });

  it('ignores a magic whose checksum is wrong and one that is not 4-byte aligned', () => {
    const file = new Uint8Array(64);
    const view = new DataView(file.buffer);
    view.setUint32(2, 0x1badb002, true);
    view.setUint32(16, 0x1badb002, true);
    view.setUint32(20, 0x00010000, true);
    view.setUint32(24, 0, true);
    const image = loaded(loadKernel(new PhysicalMemory(32), file));
    assert.strictEqual(image.hasMultibootHeader, false);
  });

  describe('live oracle (RINGLAB_LIVE_ORACLE=1)', () => {
    for (const name of ['aout-kludge', 'header-offset', 'headerless', 'mbinfo-probe']) {
      it(`committed ${name}.bin equals nasm -f bin output`, function () {
        if (!liveOracle() || !toolAvailable('nasm')) this.skip();
        assert.deepStrictEqual(assembleWithNasm(name), fixtureBytes(name));
      });
    }
    it('qemu-system-i386 still prints the committed mbinfo-probe transcript', function () {
      if (!liveOracle() || !toolAvailable('qemu-system-i386')) this.skip();
      // Not compared: IRR bit 0 (whether QEMU's host-clocked PIT fired during boot), and what
      // QEMU's stdio backend saw on the host's stdin: the stale RBR byte and the LSR's data-ready
      // bit (0x61 with a byte waiting there, 0x60 with none: QEMU 7.2.22 here, stdin /dev/null).
      const maskHost = (text: string) => text.replace(/^(pitstat0.*?: (?:\S+ ){3})\S+/m, '$1IRR')
        .replace(/^(pitstat0.*) \S+$/m, '$1 RBR')
        .replace(/^(uart 3f9-3ff: (?:\S+ ){4})(\S+)/m, (_m, head: string, lsr: string) => `${head}${(parseInt(lsr, 16) & ~1).toString(16).toUpperCase().padStart(8, '0')}+DR?`);
      assert.strictEqual(maskHost(runUnderQemu('mbinfo-probe')), maskHost(fixtureText('mbinfo-probe.qemu.txt')));
    });
  });
});
