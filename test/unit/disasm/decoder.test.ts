// Decoding representative forms: prefixes, 32- and 16-bit ModRM/SIB, immediates, relative and far
// targets, moffs, fixed ModRM bytes, decode-only rows, the 15-byte limit and undefined encodings.

import * as assert from 'node:assert/strict';
import { Decoded, DecodeStatus, RepKind, Seg, decode } from '../../../core/disasm';
import { bytesOf, decodeHex } from './helpers';

const source = (d: Decoded): string | undefined => d.form?.source;

describe('disasm decoder', () => {
  describe('ModRM with 32-bit addressing', () => {
    it('base + index*scale + disp8 through a SIB byte', () => {
      const d = decodeHex('8B 44 8B 10');
      assert.equal(source(d), 'mov r32,rm32: o32 8B /r');
      assert.equal(d.length, 4);
      assert.deepEqual([d.mod, d.reg, d.base, d.index, d.scaleShift, d.disp, d.dispSize, d.hasSib], [1, 0, 3, 1, 2, 0x10, 1, true]);
      assert.equal(d.memSeg, Seg.DS);
    });
    it('disp32 alone (mod 00, rm 101) and SIB without base', () => {
      const a = decodeHex('8B 1D 78 56 34 12');
      assert.deepEqual([a.base, a.index, a.disp, a.dispSize, a.length], [-1, -1, 0x12345678, 4, 6]);
      const b = decodeHex('8B 04 8D 00 01 00 00');
      assert.deepEqual([b.base, b.index, b.scaleShift, b.disp, b.length], [-1, 1, 2, 0x100, 7]);
    });
    it('EBP and ESP bases default to SS; an override wins', () => {
      assert.equal(decodeHex('8B 45 FC').memSeg, Seg.SS);
      assert.equal(decodeHex('8B 04 24').memSeg, Seg.SS);
      const d = decodeHex('26 8B 45 FC');
      assert.deepEqual([d.segOverride, d.memSeg, d.disp], [Seg.ES, Seg.ES, -4]);
    });
  });

  describe('ModRM with 16-bit addressing (0x67)', () => {
    it('[bx+si], [bp+disp8] (SS), [disp16]', () => {
      const a = decodeHex('67 8B 00');
      assert.deepEqual([a.addrsize16, a.base, a.index, a.dispSize, a.length], [true, 3, 6, 0, 3]);
      const b = decodeHex('67 8B 46 FE');
      assert.deepEqual([b.base, b.index, b.disp, b.memSeg], [5, -1, -2, Seg.SS]);
      const c = decodeHex('67 8B 1E 34 12');
      assert.deepEqual([c.base, c.index, c.disp, c.dispSize, c.length], [-1, -1, 0x1234, 2, 5]);
    });
  });

  describe('prefixes', () => {
    it('lock, rep, segment, operand size', () => {
      const d = decodeHex('F0 01 18');
      assert.equal(d.lock, true);
      assert.equal(source(d), 'add rm32,r32: o32 01 /r');
      const s = decodeHex('F3 66 A5');
      assert.deepEqual([s.rep, s.opsize16, source(s)], [RepKind.Rep, true, 'movsw : o16 A5']);
      assert.equal(decodeHex('F2 AE').rep, RepKind.Repne);
    });
    it('operand size selects the 16-bit form and its immediate width', () => {
      const d = decodeHex('66 B8 34 12');
      assert.deepEqual([source(d), d.imm, d.length], ['mov r16,imm16: o16 B8+r iw', 0x1234, 4]);
    });
    it('repeated and out-of-order prefixes are decoded and flagged', () => {
      const d = decodeHex('66 66 90');
      assert.deepEqual([d.prefixRepeated, d.prefixCount, d.length], [true, 2, 3]);
      const e = decodeHex('26 F0 01 18');
      assert.deepEqual([e.prefixOrderOdd, e.lock, e.segOverride], [true, true, Seg.ES]);
      const f = decodeHex('26 64 8B 00');
      assert.equal(f.memSeg, Seg.FS, 'the last segment override wins');
    });
    it('address size picks jcxz over jecxz', () => {
      assert.equal(decodeHex('E3 10').form?.mnemonic, 'jecxz');
      assert.equal(decodeHex('67 E3 10').form?.mnemonic, 'jcxz');
    });
  });

  describe('opcode maps', () => {
    it('a fixed opcode beats a +r family: 90 is nop, 91 xchg', () => {
      assert.equal(decodeHex('90').form?.mnemonic, 'nop');
      const x = decodeHex('91');
      assert.deepEqual([x.form?.mnemonic, x.reg], ['xchg', 1]);
    });
    it('fixed ModRM and immediate bytes win over the generic rows', () => {
      assert.equal(source(decodeHex('0F 01 C1')), 'vmcall : 0F 01 C1');
      assert.equal(source(decodeHex('D4 0A')), 'aam : D4 0A');
      const a = decodeHex('D4 08');
      assert.deepEqual([source(a), a.imm], ['aam imm8: D4 ib', 8]);
      assert.equal(decodeHex('0F 01 C2').status, DecodeStatus.Undefined);
    });
    it('register-only and memory-only forms split on mod', () => {
      assert.equal(source(decodeHex('0F 00 C0')), 'sldt r32: o32 0F 00 /0');
      assert.equal(source(decodeHex('0F 00 00')), 'sldt m16: 0F 00 /0');
      assert.equal(decodeHex('8D C0').status, DecodeStatus.Undefined, 'lea needs memory');
      assert.equal(decodeHex('0F 01 F8').status, DecodeStatus.Undefined, 'invlpg needs memory');
    });
    it('decode-only rows decode', () => {
      assert.equal(source(decodeHex('82 C0 05')), 'add rm8,imm8: 82 /0 ib !decode');
      assert.equal(source(decodeHex('F6 C8 05')), 'test rm8,imm8: F6 /1 ib !decode');
      assert.equal(decodeHex('C1 F0 03').form?.mnemonic, 'shl');
    });
    it('MOV CRn ignores mod and refuses missing control registers', () => {
      const d = decodeHex('0F 20 00');
      assert.deepEqual([source(d), d.length, d.rm, d.hasMem], ['mov r32,creg: 0F 20 /r !privileged', 3, 0, false]);
      assert.equal(decodeHex('0F 20 C8').status, DecodeStatus.Undefined, 'cr1');
      assert.equal(decodeHex('8E F0').status, DecodeStatus.Undefined, 'segment register 6');
    });
  });

  describe('immediates and targets', () => {
    it('sign-extended byte immediates', () => {
      const d = decodeHex('83 C0 FF');
      assert.deepEqual([source(d), d.imm], ['add rm32,sbyte32: o32 83 /0 ibs', -1]);
    });
    it('relative targets are absolute; 16-bit operand size wraps them', () => {
      assert.equal(decodeHex('EB FE', 0x1000).target, 0x1000);
      assert.equal(decodeHex('E8 00 00 00 00', 0x1000).target, 0x1005);
      assert.equal(decodeHex('0F 84 FA FF FF FF', 0x1000).target, 0x1000);
      assert.equal(decodeHex('66 E9 FC FF', 0x12340).target, 0x2340);
      assert.equal(decodeHex('E9 00 00 00 00', 0xfffffffb).target, 0);
    });
    it('far pointers and enter', () => {
      const d = decodeHex('EA 00 00 10 00 08 00');
      assert.deepEqual([source(d), d.imm, d.farSeg, d.length], ['jmp far32: o32 EA id seg !sensitive', 0x100000, 8, 7]);
      const e = decodeHex('C8 10 00 01');
      assert.deepEqual([d.form?.flow, e.imm, e.imm2], ['farjump', 0x10, 1]);
    });
    it('moffs: 32-bit offset, or 16-bit under 0x67', () => {
      const a = decodeHex('A1 78 56 34 12');
      assert.deepEqual([source(a), a.hasMem, a.disp, a.length], ['mov eax,moffs32: o32 A1 od', true, 0x12345678, 5]);
      const b = decodeHex('67 A1 34 12');
      assert.deepEqual([b.disp, b.length], [0x1234, 4]);
    });
  });

  it('copyFrom copies every field of the record', () => {
    const a = decodeHex('F3 26 66 67 C7 84 8B 10 00 00 00 34 12');
    const b = new Decoded();
    b.copyFrom(a);
    assert.deepEqual({ ...b }, { ...a });
    assert.ok(Object.keys(a).length > 20, "fields are own properties");
  });

  describe('limits', () => {
    it('15 bytes decode; 16 give a one-byte TooLong', () => {
      const ok = decodeHex('66'.repeat(14) + '90');
      assert.deepEqual([ok.status, ok.length], [DecodeStatus.Ok, 15]);
      const long = decodeHex('66'.repeat(15) + '90');
      assert.deepEqual([long.status, long.length, long.formId], [DecodeStatus.TooLong, 1, -1]);
      const imm = decodeHex('66'.repeat(10) + '81 80 00 00 00 00 01 00');
      assert.equal(imm.status, DecodeStatus.TooLong);
    });
    it('a buffer that ends mid-instruction gives Truncated', () => {
      const d = decodeHex('B8 01 02');
      assert.deepEqual([d.status, d.length], [DecodeStatus.Truncated, 1]);
    });
    it('reads no byte past `end`', () => {
      const d = new Decoded();
      const bytes = bytesOf('B8 01 02 03 04');
      assert.equal(decode(bytes, 0, 0, d, 4), 1);
      assert.equal(d.status, DecodeStatus.Truncated);
      assert.equal(decode(bytes, 0, 0, d, 5), 5);
      assert.equal(decode(bytes, 0, 0, d, 99), 5, 'an end past the buffer is the buffer');
      assert.equal(decode(bytes, 7, 0, d), 1);
      assert.equal(decode(bytes, -3, 0, d), 1);
      assert.equal(d.status, DecodeStatus.Truncated);
    });
  });
});
