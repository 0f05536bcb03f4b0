// What NASM 2.16's preprocessor says about a %define parameter list and about a %else or %elif
// after the level's %else, and the bytes of the lists it accepts (empty places, a greedy last
// parameter). Our diagnostics are written out; with NASM installed, its own messages (line,
// severity, words) and bytes are compared too.

import * as assert from 'node:assert/strict';
import { assemble, type AsmResult } from '../../../core/asm';
import { NasmError, requireNasm, runNasm } from '../../support/nasm';

/** `line severity message` of each diagnostic, in a stable order. */
function ours(r: AsmResult): string[] {
  return r.diagnostics.map((d) => `${d.line} ${d.severity} ${d.message}`).sort();
}

/** NASM's messages as `ours` writes them, each once (NASM repeats some per pass), and its bytes if it succeeded. */
function nasm(source: string): { messages: string[]; hex: string | undefined } {
  let stderr: string;
  let hex: string | undefined;
  try {
    const out = runNasm(source)!;
    stderr = out.stderr;
    hex = Buffer.from(out.bytes).toString('hex');
  } catch (e) {
    if (!(e instanceof NasmError)) throw e;
    stderr = e.message.replace(/^nasm failed \(\d+\): /, '');
  }
  const messages = new Set<string>();
  for (const l of stderr.split('\n')) {
    const m = /^[^:]*:(\d+): (error|warning): (.*?)(?: \[-w\+[\w-]+\])?$/.exec(l.trim());
    if (m) messages.add(`${m[1]} ${m[2]} ${m[3]}`);
  }
  return { messages: [...messages].sort(), hex };
}

/** Sources NASM rejects, with the errors it gives (which we give alike). */
const REJECTED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['%define f(a b) 1', ["1 error garbage `b' in macro parameter list"]],
  ['%define f(1) 2', ["1 error garbage `1' in macro parameter list"]],
  ['%define f(%a) 6', ["1 error garbage `%a' in macro parameter list"]],
  ['%define f(a 5', ["1 error `)' expected to terminate macro template", "1 error garbage `5' in macro parameter list"]],
  ['%define f(a', ["1 error `)' expected to terminate macro template"]],
  ['%define f(', ['1 error parameter identifier expected']],
  ['%define x( 1', ["1 error garbage `1' in macro parameter list", '1 error parameter identifier expected']],
  ['%idefine g(x y) 1', ["1 error garbage `y' in macro parameter list"]],
  ['%xdefine h(1) 2', ["1 error garbage `1' in macro parameter list"]],
];

/** Sources NASM assembles, with their bytes (NASM 2.16's). */
const ACCEPTED: ReadonlyArray<readonly [string, string]> = [
  ['%define f(a,,b) a+b\ndb f(1,2,3)', '04'],
  ['%define f(a,) a\ndb f(5,6)', '05'],
  ['%define f(,a) a\ndb f(4,9)', '09'],
  ['%define f() 7\ndb f()', '07'],
  ['%define f(,) 7\ndb f(1,2)', '07'],
  ['%define f( a , b ) a-b\ndb f(9,2)', '07'],
  ['%define f(a)b 2\ndb 1', '01'],
  ['%define f (a) 6\ndb 1', '01'],
  ['%define f(a+) a\ndb f(1,2)', '0102'],
  ['%define f(a, b+) b\ndb f(1,2,3)', '0203'],
  ['%define f(a) a*2\ndb f(3)', '06'],
];

/** Conditionals with a directive after the level's %else: NASM's warning (or none) and bytes. */
const AFTER_ELSE: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['%if 0\nnop\n%else\nhlt\n%elif 1\ncli\n%endif', 'f4', ["5 warning `%elif' after `%else', ignoring content"]],
  ['%if 1\nnop\n%else\nhlt\n%else\ncli\n%endif', '90', ["5 warning `%else' after `%else', ignoring content"]],
  // Once a branch is ignored, a later %else is not warned about again (and is ignored too).
  ['%if 0\nnop\n%else\nhlt\n%elif 1\ncli\n%else\nsti\n%endif', 'f4', ["5 warning `%elif' after `%else', ignoring content"]],
  // In a dead branch nothing is warned about.
  ['%if 0\n%if 1\nnop\n%else\nhlt\n%else\ncli\n%endif\n%endif\ndb 1', '01', []],
  // A %elif before %else, and nested levels each with one %else: no warning.
  ['%if 0\nnop\n%elif 1\nhlt\n%else\ncli\n%endif', 'f4', []],
  ['%if 1\n%if 0\nnop\n%else\nhlt\n%endif\n%else\ncli\n%endif', 'f4', []],
];

describe('preprocessor: %define parameter lists as NASM reads them', () => {
  for (const [source, errors] of REJECTED) {
    it(`${JSON.stringify(source)}: ${errors.join('; ')}`, () => {
      const r = assemble(`${source}\ndb 1\n`);
      assert.deepEqual(ours(r), [...errors].sort());
      assert.ok(r.diagnostics.every((d) => d.code === 'RL100'));
    });
    it(`${JSON.stringify(source)}: NASM says the same`, function () {
      if (!requireNasm(this)) return;
      assert.deepEqual(nasm(`${source}\ndb 1\n`), { messages: [...errors].sort(), hex: undefined });
    });
  }

  for (const [source, hex] of ACCEPTED) {
    it(`${JSON.stringify(source)} assembles to ${hex}`, () => {
      const r = assemble(`${source}\n`);
      assert.deepEqual(ours(r), []);
      assert.equal(Buffer.from(r.bytes).toString('hex'), hex);
    });
    it(`${JSON.stringify(source)}: NASM's bytes are the same`, function () {
      if (!requireNasm(this)) return;
      assert.deepEqual(nasm(`${source}\n`), { messages: [], hex });
    });
  }

  it("NASM 2.16's parameter marks (=, &, !) are refused as not supported, not read as plain names", () => {
    for (const mark of ['=', '&', '!']) {
      const r = assemble(`%define f(${mark}a) a\ndb 1\n`);
      assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.line} ${d.message}`), [`RL110 1 the parameter mark '${mark}' of NASM 2.16 is not supported`]);
    }
  });

  it('a greedy parameter that is not the last is an error', () => {
    const r = assemble('%define f(a+, b) b\ndb 1\n');
    assert.deepEqual(ours(r), ['1 error greedy parameter must be last']);
  });
});

/** Calls of a macro with parameters with another number of arguments: NASM's warnings (the call is left unexpanded). */
const WRONG_COUNT: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['%define f(a) a\ndb f(1,2)', ["2 warning single-line macro `f' exists, but not taking 2 parameters"]],
  ['%define f(a,b) a\ndb f(1)', ["2 warning single-line macro `f' exists, but not taking 1 parameter"]],
  ['%define f(a,b) a\n%if f(1)\ndb 1\n%endif', ["2 warning single-line macro `f' exists, but not taking 1 parameter"]],
  ['%define f(a) a\ndb f(1), f(1,2), f(3,4,5)', [
    "2 warning single-line macro `f' exists, but not taking 2 parameters", "2 warning single-line macro `f' exists, but not taking 3 parameters",
  ]],
];

describe('preprocessor: a macro called with the wrong number of arguments', () => {
  const warnings = (messages: readonly string[]): string[] => messages.filter((m) => m.split(' ')[1] === 'warning');
  for (const [source, expected] of WRONG_COUNT) {
    it(`${JSON.stringify(source)}: ${expected.join('; ')}`, () => {
      const r = assemble(`${source}\n`);
      assert.deepEqual(warnings(ours(r)), [...expected].sort());
      // The call stays as written, so the line fails as it does in NASM.
      assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
    });
    it(`${JSON.stringify(source)}: NASM warns the same`, function () {
      if (!requireNasm(this)) return;
      const n = nasm(`${source}\n`);
      assert.deepEqual(warnings(n.messages), [...expected].sort());
      assert.equal(n.hex, undefined);
    });
  }
  it('a right call is not warned about, nor a macro without parameters called with some', () => {
    assert.deepEqual(ours(assemble('%define f(a) a\n%define g 2\ndb f(1), g\n')), []);
  });
});

describe('preprocessor: %else and %elif after the level\'s %else', () => {
  for (const [source, hex, warnings] of AFTER_ELSE) {
    it(`${JSON.stringify(source)}: ${warnings.length > 0 ? warnings.join('; ') : 'no warning'}, bytes ${hex}`, () => {
      const r = assemble(`${source}\n`);
      assert.deepEqual(ours(r), [...warnings].sort());
      assert.ok(r.diagnostics.every((d) => d.code === 'RL100' && d.severity === 'warning'));
      assert.equal(Buffer.from(r.bytes).toString('hex'), hex);
    });
    it(`${JSON.stringify(source)}: NASM says the same`, function () {
      if (!requireNasm(this)) return;
      assert.deepEqual(nasm(`${source}\n`), { messages: [...warnings].sort(), hex });
    });
  }
});

describe('preprocessor: ^Z (0x1A) ends a line, as in NASM', () => {
  /** Sources with a ^Z and NASM 2.16's bytes for them. */
  const CTRL_Z: ReadonlyArray<readonly [string, string]> = [
    ['nop\n\x1ahlt\ncli\n', '90f4fa'],
    ['nop\n\x1a\ncli\n', '90fa'],
    ['nop\x1a\n', '90'],
    ['nop\n\x1a', '90'],
    ['nop\x1acli\x1a  hlt ; done\n', '90faf4'],
    ['%define X 1\ndb X\x1adb X+1\n', '0102'],
  ];
  for (const [source, hex] of CTRL_Z) {
    it(`${JSON.stringify(source)} assembles to ${hex}`, () => {
      const r = assemble(source);
      assert.deepEqual(ours(r), []);
      assert.equal(Buffer.from(r.bytes).toString('hex'), hex);
    });
    it(`${JSON.stringify(source)}: NASM's bytes are the same`, function () {
      if (!requireNasm(this)) return;
      assert.equal(nasm(source).hex, hex);
    });
  }

  it("the lines after a ^Z keep the editor's line number and columns", () => {
    const r = assemble('nop\x1a  jmp nowhere\nbogus eax\n');
    assert.deepEqual(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`), ["2:1 unknown instruction 'bogus'", "1:11 symbol 'nowhere' not defined"]);
  });

  it('a ^Z inside a string ends the line there too (NASM: unterminated string)', () => {
    const r = assemble('db "a\x1ab"\n');
    assert.ok(r.diagnostics.some((d) => d.line === 1 && d.column === 4 && d.message === 'unterminated string'), ours(r).join(' | '));
  });
});
