// What core/run refuses before booting, with a reason the user can act on: an empty file, text,
// an ELF executable, a multiboot header the loader rejects, source that does not assemble.

import * as assert from 'node:assert/strict';
import { EXIT_STATUS, prepareGuest, runGuest } from '../../../core/run';

function refuse(path: string, bytes: Uint8Array): string {
  const outcome = runGuest({ path, bytes });
  assert.equal(outcome.booted, false, `${path} booted`);
  assert.equal(outcome.exit.reason, 'not-a-program');
  assert.equal(outcome.exit.code, EXIT_STATUS.NOT_A_PROGRAM);
  return outcome.exit.detail ?? '';
}

describe('run: files that are not a program', () => {
  it('an empty file', () => {
    assert.match(refuse('empty.bin', new Uint8Array(0)), /empty\.bin is not a program: the file is empty/);
  });

  it('a text file (not named .gasm) is refused with a hint', () => {
    assert.match(refuse('notes.txt', Buffer.from('mov eax, 1\nret\n')), /is text; guest assembly must be named \.gasm/);
    assert.match(refuse('readme', Buffer.from('Grüße, a UTF-8 text\r\n\tindented\n')), /is text/);
  });

  it('an ELF executable', () => {
    const elf = new Uint8Array(64);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
    assert.match(refuse('a.out', elf), /ELF file; RingLab boots flat binaries/);
  });

  it('a multiboot header the loader rejects (ELF-style, no a.out kludge)', () => {
    const bin = new Uint8Array(64);
    const v = new DataView(bin.buffer);
    v.setUint32(0, 0x1badb002, true);
    v.setUint32(4, 0, true);
    v.setUint32(8, (-0x1badb002) >>> 0, true);
    assert.match(refuse('k.bin', bin), /no address fields/);
  });

  it('guest assembly that assembles to nothing', () => {
    assert.match(refuse('empty.gasm', Buffer.from('; nothing\n')), /assembles to no bytes/);
  });

  it('an image larger than RAM', () => {
    const outcome = runGuest({ path: 'big.gasm', bytes: Buffer.from('org 0x100000\ntimes 16 db 0x90\n') }, { memoryMiB: 1 });
    assert.equal(outcome.exit.reason, 'not-a-program');
    assert.match(outcome.exit.detail ?? '', /does not fit in 1 MiB of RAM/);
  });

  it('source with errors: assembly-error, status 1, the diagnostics with positions', () => {
    const outcome = runGuest({ path: 'bad.gasm', bytes: Buffer.from('bits 32\nfrobnicate eax\n') });
    assert.equal(outcome.booted, false);
    assert.equal(outcome.exit.reason, 'assembly-error');
    assert.equal(outcome.exit.code, 1);
    assert.ok(!outcome.booted && outcome.reason === 'assembly-error' && outcome.diagnostics.some((d) => d.line === 2 && /^RL1\d\d$/.test(d.code)));
  });

  it('a .gasm loads at its org and starts at _start; a binary at 0x100000 from its first byte', () => {
    const src = prepareGuest({ path: 'a.gasm', bytes: Buffer.from('bits 32\norg 0x200000\ndb 0\n_start: hlt\n') });
    assert.ok(src.ok);
    assert.deepEqual(src.image.load, { originPhysAddr: 0x200000, entryPhysAddr: 0x200001 });
    const bin = prepareGuest({ path: 'a.bin', bytes: Uint8Array.of(0xfa, 0xf4) });
    assert.ok(bin.ok);
    assert.deepEqual(bin.image.load, {});
  });
});
