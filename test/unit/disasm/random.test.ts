// Random byte streams: the decoder never throws, every length is 1..15, the formatter always
// produces text; and the decode speed on random code, printed for the record.

import * as assert from 'node:assert/strict';
import { Decoded, DecodeStatus, decode, disassemble, formatInstruction } from '../../../core/disasm';
import { randomBytes } from '../../oracle/disasmNasm';

describe('disasm on random bytes', () => {
  const bytes = randomBytes(0x1234567, 200_000);

  it('never throws and every length is 1..15 (200,000 bytes, every start offset)', () => {
    const d = new Decoded();
    for (let off = 0; off < bytes.length; off++) {
      const len = decode(bytes, off, 0x100000 + off, d);
      if (len < 1 || len > 15 || len !== d.length) assert.fail(`offset ${off}: length ${len}`);
      if (d.status === DecodeStatus.Ok ? d.formId < 0 : d.formId !== -1 || len !== 1) assert.fail(`offset ${off}: status ${d.status} form ${d.formId}`);
      if (off + len > bytes.length) assert.fail(`offset ${off}: read past the end`);
    }
  });

  it('formats every decoded instruction, and disassemble covers every byte once', () => {
    const part = bytes.subarray(0, 20_000);
    const lines = disassemble(part, 0x100000, { reencoder: false });
    let pos = 0x100000;
    for (const l of lines) {
      assert.equal(l.addr, pos);
      assert.ok(l.text.length > 0);
      pos += l.length;
    }
    assert.equal(pos - 0x100000, part.length);
    const d = new Decoded();
    for (let off = 0; off < part.length; off += d.length) {
      decode(part, off, off, d);
      assert.match(formatInstruction(d), /^[a-z0-9]/);
    }
  });

  it('decodes fast enough for an interpreter (reports instructions per second)', () => {
    const d = new Decoded();
    const run = decode; // a local binding: the module re-export is a getter on every call
    let best = 0;
    for (let round = 0; round < 5; round++) {
      let count = 0;
      const start = process.hrtime.bigint();
      for (let off = 0; off < bytes.length; off += d.length) { run(bytes, off, off, d); count++; }
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      best = Math.max(best, count / seconds);
    }
    console.log(`      decode: ${(best / 1e6).toFixed(1)} M instructions/s on random code (best of 5 passes over 200,000 bytes)`);
    assert.ok(best > 1e6, 'decoding slower than a million instructions per second');
  });
});
