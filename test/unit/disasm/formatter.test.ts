// NASM spelling of decoded instructions: size keywords only where needed, `strict`, displacement
// and `nosplit` overrides, prefixes as words, branch distances, far forms, labels, `db` fallbacks.

import * as assert from 'node:assert/strict';
import { disassemble, formatInstruction, type EncodeRequest, type Reencoder } from '../../../core/disasm';
import { bytesOf, decodeHex } from './helpers';

const CASES: ReadonlyArray<[string, string, number?]> = [
  ['01 D8', 'add eax, ebx'],
  ['81 C3 05 00 00 00', 'add ebx, strict dword 0x5'],
  ['81 C3 78 56 34 12', 'add ebx, 0x12345678'],
  ['83 C3 FF', 'add ebx, -0x1'],
  ['05 05 00 00 00', 'add eax, strict dword 0x5'],
  ['8B 44 8B 10', 'mov eax, [ebx+ecx*4+0x10]'],
  ['8B 45 FC', 'mov eax, [ebp-0x4]'],
  ['C7 00 05 00 00 00', 'mov dword [eax], 0x5'],
  ['66 C7 00 05 00', 'mov word [eax], 0x5'],
  ['0F B6 03', 'movzx eax, byte [ebx]'],
  ['26 8B 03', 'mov eax, [es:ebx]'],
  ['8B 40 00', 'mov eax, [byte eax+0x0]'],
  ['8B 80 05 00 00 00', 'mov eax, [dword eax+0x5]'],
  ['8B 04 45 00 00 00 00', 'mov eax, [nosplit eax*2]'],
  ['8B 04 85 10 00 00 00', 'mov eax, [eax*4+0x10]'],
  ['8B 1D 78 56 34 12', 'mov ebx, [0x12345678]'],
  ['A1 78 56 34 12', 'mov eax, [0x12345678]'],
  ['67 8B 00', 'mov eax, [bx+si]'],
  ['67 8B 46 00', 'mov eax, [bp]'],
  ['67 8B 87 05 00', 'mov eax, [word bx+0x5]'],
  ['67 8B 1E 34 12', 'a16 mov ebx, [0x00001234]'],
  ['F3 A5', 'rep movsd'],
  ['F3 A6', 'repe cmpsb'],
  ['F2 AE', 'repne scasb'],
  ['26 A4', 'es movsb'],
  ['F0 01 18', 'lock add [eax], ebx'],
  ['66 90', 'o16 nop'],
  ['66 8E D8', 'o16 mov ds, ax'],
  ['8E D8', 'mov ds, ax'],
  ['67 E3 10', 'jcxz 0x00001013', 0x1000],
  ['EB FE', 'jmp short 0x00001000', 0x1000],
  ['E9 FB FF FF FF', 'jmp near 0x00001000', 0x1000],
  ['E8 FB FF FF FF', 'call 0x00001000', 0x1000],
  ['0F 84 FA FF FF FF', 'jz near 0x00001000', 0x1000],
  ['66 E9 FC FF', 'jmp near word 0x00001000', 0x1000],
  ['F2 74 FD', 'bnd jz short 0x00001000', 0x1000],
  ['E2 FE', 'loop 0x00001000', 0x1000],
  ['EA 00 00 10 00 08 00', 'jmp 0x0008:0x00100000'],
  ['66 EA 34 12 08 00', 'jmp word 0x0008:0x1234'],
  ['FF 28', 'jmp far [eax]'],
  ['66 FF 28', 'jmp far word [eax]'],
  ['FF 20', 'jmp dword [eax]'],
  ['C5 03', 'lds eax, [ebx]'],
  ['0F 01 C1', 'vmcall'],
  ['D4 0A', 'aam'],
  ['D4 08', 'aam 0x8'],
  ['C1 E0 01', 'shl eax, strict byte 0x1'],
  ['C1 E0 03', 'shl eax, 0x3'],
  ['D1 E0', 'shl eax, 1'],
  ['D3 20', 'shl dword [eax], cl'],
  ['6A FF', 'push -0x1'],
  ['66 6A 05', 'push word 0x5'],
  ['68 05 00 00 00', 'push strict dword 0x5'],
  ['FF 30', 'push dword [eax]'],
  ['0F 20 C0', 'mov eax, cr0'],
  ['0F 23 F8', 'mov dr7, eax'],
  ['0F 01 10', 'lgdt [eax]'],
  ['0F 00 00', 'sldt [eax]'],
  ['0F C7 08', 'cmpxchg8b [eax]'],
  ['C8 10 00 00', 'enter 0x10, 0x0'],
  ['E6 60', 'out 0x60, al'],
  ['EC', 'in al, dx'],
  ['CD 80', 'int 0x80'],
  ['6B C3 05', 'imul eax, ebx, 0x5'],
  ['0F FF', 'db 0xf'],
];

describe('disasm formatter', () => {
  for (const [hex, text, addr] of CASES) {
    it(`${hex} -> ${text}`, () => {
      assert.equal(formatInstruction(decodeHex(hex, addr ?? 0x100000)), text);
    });
  }

  it('names branch targets through a label callback', () => {
    const d = decodeHex('E8 FB FF FF FF', 0x1000);
    assert.equal(formatInstruction(d, { labelFor: (a) => (a === 0x1000 ? 'start' : undefined) }), 'call start');
  });
});

describe('disassemble', () => {
  it('covers the bytes with lines and labels from a map', () => {
    const lines = disassemble(bytesOf('90 EB FD'), 0x1000, { labels: new Map([[0x1000, 'top']]), reencoder: false });
    assert.deepEqual(lines.map((l) => [l.addr, l.length, l.text, l.label, l.isData]),
      [[0x1000, 1, 'nop', 'top', false], [0x1001, 2, 'jmp short top', undefined, false]]);
  });

  it('writes db with the instruction in a comment when NASM would pick another encoding', () => {
    const lines = disassemble(bytesOf('03 C3 82 C0 05 66 66 90'), 0, { reencoder: false });
    assert.deepEqual(lines.map((l) => l.text), [
      'db 0x03, 0xc3 ; add eax, ebx',
      'db 0x82, 0xc0, 0x05 ; add al, 0x5',
      'db 0x66, 0x66, 0x90 ; o16 nop',
    ]);
    assert.equal(lines[0]!.form?.mnemonic, 'add');
  });

  it('tries spellings until the check accepts one, in batched rounds', () => {
    const asked: string[][] = [];
    // A check that only knows the `never` spelling of 81 /0 (as if `strict` were not understood).
    const check: Reencoder = {
      encodeMany(requests: readonly EncodeRequest[]) {
        asked.push(requests.map((r) => r.text));
        return requests.map((r) => (r.text === 'add ebx, 0x5' ? bytesOf('81 C3 05 00 00 00') : r.text === 'nop' ? bytesOf('90') : undefined));
      },
    };
    const lines = disassemble(bytesOf('81 C3 05 00 00 00 90'), 0, { reencoder: check });
    assert.deepEqual(lines.map((l) => l.text), ['add ebx, 0x5', 'nop']);
    assert.deepEqual(asked, [['add ebx, strict dword 0x5', 'nop'], ['add ebx, 0x5']]);
  });
});
