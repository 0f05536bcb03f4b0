// Hand-written programs (addressing modes, forward references, sections and data, a small
// kernel) assembled by RingLab must equal NASM's bytes: the committed goldens always, and NASM
// itself when it is installed (required under RINGLAB_LIVE_ORACLE=1).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assemble } from '../../core/asm';
import { NasmError, nasmAvailable, liveOracle, runNasm } from '../support/nasm';

const GOLDEN_DIR = path.resolve(__dirname, '../../../test/oracle/golden');
const programs = fs.readdirSync(GOLDEN_DIR).filter((f) => f.startsWith('asm-') && f.endsWith('.asm')).sort();

function hexDiff(a: Uint8Array, b: Uint8Array): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `first difference at offset 0x${i.toString(16)} (lengths ${a.length} vs ${b.length})`;
}

describe('assembler against NASM (hand-written programs)', () => {
  it('has golden programs', () => assert.ok(programs.length >= 4));
  for (const name of programs) {
    const source = fs.readFileSync(path.join(GOLDEN_DIR, name), 'utf8');
    it(`${name} equals the committed NASM output`, () => {
      const golden = new Uint8Array(fs.readFileSync(path.join(GOLDEN_DIR, name.replace(/\.asm$/, '.bin'))));
      const r = assemble(source, { file: name });
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.ok(Buffer.from(r.bytes).equals(Buffer.from(golden)), hexDiff(r.bytes, golden));
    });
    it(`${name} equals live NASM`, function () {
      if (!nasmAvailable()) { if (liveOracle()) throw new Error('RINGLAB_LIVE_ORACLE=1 but nasm is missing'); this.skip(); }
      const nasm = runNasm(source)!;
      const r = assemble(source, { file: name });
      assert.ok(Buffer.from(r.bytes).equals(Buffer.from(nasm.bytes)), hexDiff(r.bytes, nasm.bytes));
    });
  }
});

/** Single lines whose encoding depends on NASM's choices; compared live only. */
const LINES = [
  'push 5', 'push byte 5', 'push word 5', 'push strict dword 5', 'add eax, byte 5', 'add eax, strict dword 5',
  'add [eax], byte 5', 'mov [eax], word 5', 'mov al, 300', 'shl eax, 1', 'shl eax, byte 1', 'jmp [eax]',
  'call word [eax]', 'jmp far [eax]', 'jmp 0x08:0x1234', 'jmp word 0x08:0x1234', 'lock add word [fs:bx], ax',
  'rep movsb', 'es movsb', 'o16 movsb', 'a16 movsb', 'xchg eax, ecx', 'xchg ecx, eax', 'test ebx, eax',
  'imul eax, 5', 'imul eax, ebx, 200', 'cmp eax, 0xffffffff', 'cmp ax, 0xffff', 'mov eax, ds', 'mov [eax], ds',
  'times 3 jmp $', 'times 3 dd $', 'jmp short 0x10', 'jcxz $', 'mov eax, [ebx+eax+1+2]', 'lea eax, [nosplit eax+eax]',
];

describe('assembler against live NASM (single lines)', () => {
  for (const line of LINES) {
    it(line, function () {
      if (!nasmAvailable()) { if (liveOracle()) throw new Error('RINGLAB_LIVE_ORACLE=1 but nasm is missing'); this.skip(); }
      const source = `bits 32\n${line}\n`;
      const nasm = runNasm(source)!;
      const r = assemble(source);
      assert.equal(Buffer.from(r.bytes).toString('hex'), Buffer.from(nasm.bytes).toString('hex'));
    });
  }
});

/** Sources NASM rejects: RingLab must reject them too, with the same message, at the given column. */
const REJECTED: readonly { source: string; message: string; line: number; column: number; code: string }[] = [
  // The count of TIMES is needed in NASM's first pass: defining it later does not help.
  { source: 'bits 32\ntimes N db 1\nN equ 3\n', message: 'non-constant argument supplied to TIMES', line: 2, column: 7, code: 'RL107' },
  // Undefined symbols that cancel (`end - start`) are fine in NASM's first pass; `x - $` is not.
  { source: 'bits 32\nstart: times x - $ db 0\nx:\n', message: 'non-constant argument supplied to TIMES', line: 2, column: 14, code: 'RL107' },
];

describe('assembler against NASM (rejected sources)', () => {
  for (const { source, message, line, column, code } of REJECTED) {
    it(`${JSON.stringify(source)}: ${message}`, function () {
      const r = assemble(source);
      const err = r.diagnostics.find((d) => d.severity === 'error');
      assert.deepEqual(err && [err.code, err.message, err.line, err.column], [code, message, line, column]);
      if (!nasmAvailable()) { if (liveOracle()) throw new Error('RINGLAB_LIVE_ORACLE=1 but nasm is missing'); this.skip(); }
      assert.throws(() => runNasm(source), (e: unknown) => e instanceof NasmError && e.message.includes(`:${line}: error: ${message}`));
    });
  }
});
