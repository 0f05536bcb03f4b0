// Inputs that once broke the assembler or that NASM 2.16 accepts and RingLab rejected: preprocessor
// directives typed without their operand (an exception that replaced every diagnostic with one
// "internal assembler error"), a UTF-8 byte order mark, non-ASCII letters in names and strings,
// and TIMES after TIMES (which once multiplied the counts, and took stack per count).
// The bytes are NASM 2.16's, committed, and compared with NASM itself when it is installed.

import * as assert from 'node:assert/strict';
import { assemble, type AsmResult, type SourceFiles } from '../../../core/asm';
import { NasmError, requireNasm, runNasm } from '../../support/nasm';

function diags(r: AsmResult): string[] {
  return r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`);
}

function hex(r: AsmResult): string {
  return Buffer.from(r.bytes).toString('hex');
}

const NO_INTERNAL_ERROR = (r: AsmResult): void => {
  assert.ok(!r.diagnostics.some((d) => d.message.startsWith('internal assembler error')), diags(r).join('\n'));
};

describe('assembler: preprocessor directives without their operand', () => {
  // What the editor sees while `%if` is typed, before its condition (the audit's case).
  const TYPING_IF = 'start:\n  cli\n  hlt\n  jmp nowhere\n%if\n  nop\n%endif\n';

  it('%if with no expression is NASM\'s "expression syntax error" on its line; the other diagnostics stay', () => {
    const r = assemble(TYPING_IF, { file: 'if.gasm' });
    NO_INTERNAL_ERROR(r);
    assert.deepEqual(diags(r), [
      'error RL100 5:1 expression syntax error',
      "error RL103 4:7 symbol 'nowhere' not defined",
    ]);
  });

  for (const spelling of ['%if ; the condition comes next', '%if   ', '%if\t', '  %IF']) {
    it(`"${spelling}" is the same error on its line`, () => {
      const r = assemble(`jmp nowhere\n${spelling}\nnop\n%endif\n`);
      NO_INTERNAL_ERROR(r);
      assert.deepEqual(diags(r).map((d) => d.split(' ').slice(0, 3).join(' ')), ['error RL100 2:' + (spelling.indexOf('%') + 1), 'error RL103 1:5']);
      assert.equal(r.diagnostics[0]!.message, 'expression syntax error');
    });
  }

  it('%elif with no expression, when evaluated, is the same error; when a branch was taken it is not evaluated', () => {
    const r = assemble('%if 0\ndb 0\n%elif\ndb 1\n%endif\njmp nowhere\n');
    NO_INTERNAL_ERROR(r);
    assert.deepEqual(diags(r), ['error RL100 3:1 expression syntax error', "error RL103 6:5 symbol 'nowhere' not defined"]);
    assert.deepEqual(diags(assemble('%if 1\ndb 0\n%elif\ndb 1\n%endif\n')), []);
  });

  it('a condition that cannot be evaluated takes no branch, not even %else (as NASM)', () => {
    for (const cond of ['%if', '%if 1/0', '%if undefined_name']) {
      const r = assemble(`${cond}\n  bogus_if\n%else\n  bogus_else\n%endif\ndb 3\n`);
      NO_INTERNAL_ERROR(r);
      // One error, on the %if line: neither branch was assembled (each holds an unknown instruction).
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line), [1], `${cond}: ${diags(r).join(' | ')}`);
      assert.deepEqual(r.sourceMap.map((e) => e.line), [6], cond);
    }
    const elif = assemble('%if 0\n  bogus_if\n%elif\n  bogus_elif\n%else\n  bogus_else\n%endif\ndb 3\n');
    assert.deepEqual(elif.diagnostics.map((d) => d.line), [3]);
  });

  it('%undef and %line without an operand are errors (as NASM), not silently ignored', () => {
    assert.deepEqual(diags(assemble('%undef\nnop\n')), ['error RL100 1:1 %undef expects a macro name']);
    assert.deepEqual(diags(assemble('%undef ; nothing\nnop\n')), ['error RL100 1:1 %undef expects a macro name']);
    assert.deepEqual(diags(assemble('%line\nnop\n')), ['error RL100 1:1 %line expects a line number']);
  });

  it('no directive without its operand throws: each reports on its own line and keeps the other diagnostics', () => {
    // NASM 2.16 accepts an empty %ifdef/%ifndef/%elifdef (not defined) and %pragma; it rejects the others.
    const silent = new Set(['%ifdef', '%ifndef', '%pragma', '%warning']);
    const directives = ['%if', '%ifdef', '%ifndef', '%define', '%idefine', '%xdefine', '%xidefine', '%undef', '%assign', '%iassign',
      '%include', '%rep', '%macro', '%error', '%warning', '%line', '%pragma', '%', '%elif', '%elifdef', '%else', '%endif'];
    for (const d of directives) {
      for (const tail of ['', ' ', ' ; comment']) {
        const closes = /^%if/.test(d) ? '\n%endif' : '';
        const r = assemble(`start:\n  jmp nowhere\n${d}${tail}${closes}\n`);
        NO_INTERNAL_ERROR(r);
        assert.ok(r.diagnostics.some((x) => x.code === 'RL103' && x.line === 2) || d === '%if' || d === '%rep' || d === '%macro',
          `${d}${tail}: ${diags(r).join(' | ')}`);
        if (!silent.has(d)) assert.ok(r.diagnostics.some((x) => x.line === 3 && x.severity === 'error'), `${d}${tail}: ${diags(r).join(' | ')}`);
      }
    }
  });
});

describe('assembler: NASM compatibility of non-ASCII text', () => {
  // [what, source, NASM 2.16's bytes, its diagnostics]. NASM reads bytes and takes every byte past
  // 0x7F for a letter: a byte order mark is the start of a name.
  const CASES: readonly (readonly [string, string, string, readonly string[]])[] = [
    ['a byte order mark before a comment: an orphan label, warned about',
      '\uFEFF; ringlab: mode=pv\nbits 32\nstart:\n  nop\n', '90', ['warning RL100 1:1 label alone on a line without a colon might be in error']],
    ['a byte order mark before blanks and an instruction: a label, no warning',
      '\uFEFF  nop\n', '90', []],
    ['a byte order mark alone on the first line', '\uFEFF\nbits 32\nnop\n', '90', ['warning RL100 1:1 label alone on a line without a colon might be in error']],
    ['a label with non-ASCII letters', 'café:\n  jmp café\n', 'ebfe', []],
    ['non-ASCII names of macros and equ, a no-break space inside a name',
      'bits 32\n%define né 3\n  mov al, né\nx\u00A0 equ 5\n  mov al, x\u00A0\nλ.β: dd λ.β\n', 'b003b00504000000', []],
    ['strings as UTF-8 bytes, in every quote and past U+FFFF',
      "bits 32\ndb \"é\", `é`, 'é', \"a\u{1F600}b\", `\u{1F600}`, `\\u00e9`\nmov eax, \"é\"\ndd 'é'\n",
      'c3a9c3a9c3a961f09f988062f09f9880c3a9b8c3a90000c3a90000', []],
  ];

  for (const [what, source, bytes, messages] of CASES) {
    it(`${what}: NASM's bytes and messages`, () => {
      const r = assemble(source);
      assert.deepEqual(diags(r), messages);
      assert.equal(hex(r), bytes);
    });
    it(`${what}: equals live NASM`, function () {
      if (!requireNasm(this)) return;
      const nasm = runNasm(source)!;
      assert.equal(Buffer.from(nasm.bytes).toString('hex'), bytes);
      assert.equal(/warning: label alone/.test(nasm.stderr), messages.length > 0, nasm.stderr);
    });
  }

  it('a byte order mark fused with a label defines another name, as in NASM', () => {
    assert.deepEqual(diags(assemble('\uFEFFstart:\n  jmp start\n')), ["error RL103 2:7 symbol 'start' not defined"]);
  });

  it('a character constant is its UTF-8 bytes, with NASM\'s overflow warning', () => {
    const r = assemble('mov al, "é"\n');
    assert.deepEqual(diags(r), ['warning RL105 1:9 byte data exceeds bounds']);
    assert.equal(hex(r), 'b0c3');
  });

  it('a number followed by a non-ASCII letter is still an error (numbers end at the letter)', () => {
    assert.equal(assemble('mov al, 1é\n').ok, false);
  });

  it('incbin asks the host for the file by its name, not by its UTF-8 bytes', () => {
    const asked: string[] = [];
    const files: SourceFiles = { read: (p) => { asked.push(p); return p === 'données.bin' ? 'AB' : undefined; }, resolve: (_from, name) => name };
    const r = assemble('incbin "données.bin"\n', { files });
    assert.deepEqual(diags(r), []);
    assert.equal(hex(r), '4142');
    assert.deepEqual(asked, ['données.bin']);
  });
});

describe('assembler: TIMES after TIMES, as NASM reads it', () => {
  // NASM checks every count of the chain and repeats by the last one.
  const CASES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
    ['times 2 times 3 nop', '909090', []],
    ['times 3 times 2 nop', '9090', []],
    ['times 2 times 3 times 4 nop', '90909090', []],
    ['times 0 times 3 nop', '909090', []],
    ['times 3 times 0 nop', '', []],
    ['times 2 times 2 db 1,2', '01020102', []],
    ['times -1 times 3 nop', '', ['RL105']],
    ['times nowhere times 3 nop', '', ['RL107']],
  ];
  for (const [line, bytes, codes] of CASES) {
    it(`${line}: NASM's bytes${codes.length > 0 ? ' and error' : ''}`, () => {
      const r = assemble(`bits 32\n${line}\n`);
      assert.deepEqual(r.diagnostics.map((d) => d.code), codes);
      assert.equal(hex(r), codes.length > 0 ? '' : bytes);
    });
    it(`${line}: equals live NASM`, function () {
      if (!requireNasm(this)) return;
      if (codes.length > 0) assert.throws(() => runNasm(`bits 32\n${line}\n`), NasmError);
      else assert.equal(Buffer.from(runNasm(`bits 32\n${line}\n`)!.bytes).toString('hex'), bytes);
    });
  }

  it('a chain of 3,000 counts assembles (no stack per count), with the next line\'s findings', () => {
    const r = assemble(`bits 32\n${'times 1 '.repeat(3000)}nop\ncli\n`);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(hex(r), '90fa');
  });
});
