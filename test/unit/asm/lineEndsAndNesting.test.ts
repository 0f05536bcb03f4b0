// Two inputs that once broke the assembler. A lone carriage return is a line end for NASM 2.16
// (and for LSP): RingLab read `bits 32\r cli\r hlt\r` as one line and assembled nothing, and
// the editor's lines must be the assembler's. An expression nested thousands of levels deep (NASM
// takes 8,191 parentheses) overflowed the call stack: one "internal assembler error" on line 1
// replaced every diagnostic of the file. The bytes are NASM 2.16's, committed, and compared with
// NASM itself when it is installed.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { assemble, type AsmResult, type SourceFiles } from '../../../core/asm';
import { Cursor, E, Evaluator, MAX_EXPR_DEPTH, MAX_EXPR_TERMS, parseExpr, SyntaxError2, type Expr } from '../../../core/asm/expression';
import { lex } from '../../../core/asm/lexer';
import { lineEndAt, lineEndLength, splitSourceLines } from '../../../core/asm/preprocess';
import { DocumentAnalysis, hoverAt } from '../../../core/lang';
import { indexFile } from '../../../core/lang/fileIndex';
import { semanticTokens } from '../../../core/lang/semanticTokens';
import { splitLines } from '../../../core/lang/text';
import { lintSource } from '../../../core/lint';
import { liveOracle, nasmAvailable, NasmError, runNasm } from '../../support/nasm';

function diags(r: AsmResult): string[] {
  return r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`);
}

function hex(r: AsmResult): string {
  return Buffer.from(r.bytes).toString('hex');
}

const NO_INTERNAL_ERROR = (r: { diagnostics: readonly { message: string }[] }): void => {
  assert.ok(!r.diagnostics.some((d) => d.message.startsWith('internal assembler error')), r.diagnostics.map((d) => d.message).join('\n'));
};

/** For a test that compares with NASM: skipped without it, failed without it under RINGLAB_LIVE_ORACLE=1. */
function needNasm(ctx: Mocha.Context): void {
  if (nasmAvailable()) return;
  if (liveOracle()) throw new Error('RINGLAB_LIVE_ORACLE=1 but nasm is missing');
  ctx.skip();
}

/** The lines of NASM's messages of one severity. */
function nasmLines(stderr: string, severity: 'warning' | 'error'): number[] {
  return [...stderr.matchAll(new RegExp(`^[^:\\n]*:(\\d+): ${severity}:`, 'gm'))].map((m) => Number(m[1]));
}

const repeat = (s: string, n: number): string => s.repeat(n);
const sum = (term: string, n: number): string => Array<string>(n).fill(term).join('+');

describe('assembler: line ends as NASM 2.16 reads them (\\n, \\r\\n and a lone \\r)', () => {
  // [what, source, NASM 2.16's bytes, the lines of its warnings (an orphan label)].
  const CASES: ReadonlyArray<readonly [string, string, string, readonly number[]]> = [
    ['lone \\r (the audit\'s case)', 'bits 32\r  cli\r  hlt\r', 'faf4', []],
    ['\\r\\n', 'bits 32\r\n  cli\r\n  hlt\r\n', 'faf4', []],
    ['mixed: \\r, \\r\\n, \\n\\r (two), \\r\\r\\n (two)', 'bits 32\rcli\r\nnop\n\rhlt\r\r\nint3\n', 'fa90f4cc', []],
    ['mixed, with a message on lines 3, 5 and 7', 'bits 32\rcli\r\nbogus1\n\rbogus2\r\r\nbogus3\n', 'fa', [3, 5, 7]],
    ['a lone \\r ends a comment', 'bits 32\r; comment\rcli ; comment\rhlt', 'faf4', []],
    ['a continuation before a lone \\r', 'bits 32\rmov eax, 1 + \\\r2\rcli\rorphan\r', 'b803000000fa', [5]],
    ['a continuation before \\r\\n', 'bits 32\r\nmov eax, 1 + \\\r\n2\r\ncli\r\norphan\r\n', 'b803000000fa', [5]],
    ['preprocessor directives', '%define X 5\rbits 32\rmov eax, X\r%if X > 4\rcli\r%else\rhlt\r%endif\r%assign Y X+1\rdb Y\r', 'b805000000fa06', []],
  ];
  for (const [what, source, bytes, warnings] of CASES) {
    it(`${what}: NASM's bytes, messages on NASM's lines`, () => {
      const r = assemble(source, { file: 'le.gasm' });
      assert.equal(hex(r), bytes, diags(r).join('\n'));
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.deepEqual(r.diagnostics.map((d) => d.line), warnings, diags(r).join('\n'));
    });
    it(`${what}: equals live NASM`, function () {
      needNasm(this);
      const nasm = runNasm(source)!;
      assert.equal(Buffer.from(nasm.bytes).toString('hex'), bytes);
      assert.deepEqual(nasmLines(nasm.stderr, 'warning'), warnings, nasm.stderr);
    });
  }

  it('a lone \\r in a string ends the line there: an error on each half, as NASM', function () {
    const source = "bits 32\rdb 'a\rb'\rcli\r";
    const r = assemble(source);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line), [2, 3], diags(r).join('\n'));
    if (!nasmAvailable()) { if (liveOracle()) throw new Error('RINGLAB_LIVE_ORACLE=1 but nasm is missing'); return; }
    assert.throws(() => runNasm(source), (e: unknown) => e instanceof NasmError && /:2: error:/.test(e.message) && /:3: error:/.test(e.message));
  });

  it('diagnostics and the source map count lone \\r lines', () => {
    const r = assemble('bits 32\rjmp nowhere\rcli\r', { file: 'cr.gasm' });
    assert.deepEqual(diags(r), ["error RL103 2:5 symbol 'nowhere' not defined"]);
    const ok = assemble('bits 32\r\nstart:\rnop\n  cli\r\r\n  hlt\n', { file: 'cr.gasm' });
    assert.deepEqual(ok.sourceMap.map((e) => [e.line, e.column]), [[3, 1], [4, 3], [6, 3]]);
    assert.deepEqual(ok.symbols.map((s) => s.name), ['start']);
  });

  it('an included file with lone \\r has its own line numbers (NASM: its orphan label on line 3)', () => {
    const files: SourceFiles = { read: (p) => (p === 'inc.asm' ? 'bits 32\rcli\rbogus_inc\r' : undefined), resolve: (_from, name) => name };
    const r = assemble('%include "inc.asm"\nbits 32\nnop\n', { file: 'main.gasm', files });
    assert.equal(hex(r), 'fa90');
    assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.line}`), ['inc.asm:3']);
    assert.deepEqual(r.sourceMap.map((e) => `${e.file}:${e.line}`), ['inc.asm:2', 'main.gasm:3']);
  });

  it('ringlab lint finds the privileged instructions of a lone-\\r file, on the lines and columns of the \\n file', () => {
    const lf = lintSource('bits 32\n  cli\n  hlt\n', { file: 'a.gasm', mode: 'paravirtual' });
    const cr = lintSource('bits 32\r  cli\r  hlt\r', { file: 'a.gasm', mode: 'paravirtual' });
    const where = (l: typeof lf): string[] => l.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
    assert.deepEqual(where(lf), ['RL201 2:3', 'RL201 3:3']);
    assert.deepEqual(where(cr), where(lf));
  });

  describe('the editor splits lines as the assembler does, and as LSP (TextDocument) does', () => {
    /** A text of `n` lines `db <k>`, each ended by one of the line ends, at random. */
    function mixed(n: number, seed: number): string {
      let s = seed >>> 0;
      const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      const ends = ['\n', '\r\n', '\r'];
      let text = '';
      for (let k = 0; k < n; k++) text += `db ${k}` + ends[Math.floor(next() * 3)]!;
      return text;
    }

    it('splitSourceLines, core/lang splitLines, lineEndAt and TextDocument agree on every line', () => {
      const texts = [mixed(300, 1), mixed(300, 2), 'a\rb\r\nc\n\rd\r\re\r', '', '\r', '\r\n', '\n', 'x', 'x\r\r\n\n\r', 'only\r\n'];
      for (const text of texts) {
        const lines = splitSourceLines(text);
        assert.deepEqual(splitLines(text), lines);
        const doc = TextDocument.create('file:///t.gasm', 'guest-asm', 1, text);
        assert.equal(lines.length, doc.lineCount, JSON.stringify(text));
        let from = 0;
        for (let k = 0; k < lines.length; k++) {
          assert.equal(doc.offsetAt({ line: k, character: 0 }), from, `line ${k} of ${JSON.stringify(text).slice(0, 40)}`);
          const end = lineEndAt(text, from);
          assert.equal(text.slice(from, end), lines[k]);
          assert.ok(!/[\r\n]/.test(lines[k]!));
          from = end + lineEndLength(text, end);
        }
        assert.equal(from, text.length);
      }
    });

    it('every byte is on the line LSP shows its source on', () => {
      const text = mixed(500, 7);
      const r = assemble(text, { file: 'm.gasm' });
      assert.equal(r.bytes.length, 500);
      const doc = TextDocument.create('file:///m.gasm', 'guest-asm', 1, text);
      for (const e of r.sourceMap) {
        const line = doc.getText({ start: { line: e.line - 1, character: 0 }, end: { line: e.line - 1, character: 20 } }).replace(/[\r\n]+$/, '');
        assert.match(line, /^db \d+$/);
        assert.equal(Number(line.slice(3)) & 0xff, r.bytes[e.addr - r.origin], `line ${e.line}`);
        assert.equal(Number(line.slice(3)), e.line - 1);
      }
    });

    it('the index, the semantic tokens and a hover of a lone-\\r document are those of its \\n twin', () => {
      const lines = ['start:', '  cli', '.loop:', '  mov eax, [counter]', '  jmp .loop', 'counter: dd 0'];
      const lf = lines.join('\n') + '\n';
      const cr = lines.join('\r') + '\r';
      assert.deepEqual(indexFile(cr), indexFile(lf));
      assert.equal(indexFile(cr).lineCount, 7);
      assert.deepEqual(semanticTokens(cr), semanticTokens(lf));
      assert.ok(semanticTokens(cr).some((t) => t.line === 4));
      const a = new DocumentAnalysis('h.gasm', cr, { mode: 'paravirtual' });
      const b = new DocumentAnalysis('h.gasm', lf, { mode: 'paravirtual' });
      assert.deepEqual(a.source('h.gasm')!.lines, lines.concat(''));
      const hover = hoverAt(a, 'h.gasm', 2, 3);
      assert.ok(hover && /cli/i.test(hover.markdown));
      assert.deepEqual(hover, hoverAt(b, 'h.gasm', 2, 3));
      assert.deepEqual(hoverAt(a, 'h.gasm', 4, 15), hoverAt(b, 'h.gasm', 4, 15));
    });
  });
});

describe('assembler: deeply nested expressions', () => {
  const P3000 = `${repeat('(', 3000)}1${repeat(')', 3000)}`;
  // [what, source, NASM 2.16's bytes]
  const ACCEPTED: ReadonlyArray<readonly [string, string, string]> = [
    ['3,000 parentheses (the audit\'s case)', `bits 32\nmov eax, ${P3000}\ncli\n`, 'b801000000fa'],
    ['8,191 parentheses (NASM\'s most)', `bits 32\nmov eax, ${repeat('(', 8191)}1${repeat(')', 8191)}\ncli\n`, 'b801000000fa'],
    ['8,000 unary operators', `bits 32\nmov eax, ${repeat('-~', 4000)}1\ncli\n`, 'b8a10f0000fa'],
    ['3,000 parentheses in an effective address', `bits 32\nmov eax, [ebx + ${repeat('(', 3000)}4${repeat(')', 3000)}]\ncli\n`, '8b4304fa'],
    ['3,000 parentheses in data', `dd ${repeat('(', 3000)}0x12345678${repeat(')', 3000)}, ${P3000}\n`, '7856341201000000'],
    ['3,000 parentheses in %if', `%if ${P3000}\ndb 1\n%else\ndb 2\n%endif\n`, '01'],
    ['2,000 nested ? :', `bits 32\nmov eax, ${repeat('1 ? ', 2000)}7${repeat(' : 0', 2000)}\ncli\n`, 'b807000000fa'],
    ['8,192 constant terms (NASM\'s most)', `bits 32\nmov eax, ${sum('1', 8192)}\ncli\n`, 'b800200000fa'],
    [`a sum of ${MAX_EXPR_DEPTH} symbols (RingLab's deepest tree)`, `y equ 1\nbits 32\nmov eax, ${sum('y', MAX_EXPR_DEPTH)}\ncli\n`, 'b800020000fa'],
    [`${MAX_EXPR_DEPTH} levels past 2^63`, `y equ 0x7fffffffffffffff\nbits 32\ndq ${sum('y', MAX_EXPR_DEPTH)}\ncli\n`, '00fefffffffffffffa'],
    ['510 nested parentheses around symbols in an address', `y equ 1\nbits 32\nmov eax, [ebx+${repeat('(y+', 510)}y${repeat(')', 510)}]\ncli\n`, '8b83ff010000fa'],
  ];
  for (const [what, source, bytes] of ACCEPTED) {
    it(`${what}: NASM's bytes`, () => {
      const r = assemble(source);
      assert.deepEqual(diags(r), []);
      assert.equal(hex(r), bytes);
    });
    it(`${what}: equals live NASM`, function () {
      needNasm(this);
      assert.equal(Buffer.from(runNasm(source)!.bytes).toString('hex'), bytes);
    });
  }

  it('the audit\'s case: ringlab lint keeps the finding of the next line, with no internal error', () => {
    const l = lintSource(`bits 32\nmov eax, ${P3000}\ncli\n`, { file: 'deep.gasm', mode: 'trap-and-emulate' });
    NO_INTERNAL_ERROR(l);
    assert.deepEqual(l.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`), ['RL201 3:1']);
  });

  // NASM fails these with "expression too long" (its --limit-eval, 8192 by default).
  const TOO_LONG: ReadonlyArray<readonly [string, string, number]> = [
    ['8,192 parentheses', `${repeat('(', 8192)}1${repeat(')', 8192)}`, 8202],
    ['8,193 terms', sum('1', 8193), 16394],
  ];
  for (const [what, expr, column] of TOO_LONG) {
    const source = `bits 32\nmov eax, ${expr}\ncli\njmp nowhere\n`;
    it(`${what}: NASM's "expression too long" on its line; the other lines keep theirs`, () => {
      const r = assemble(source, { file: 'long.gasm' });
      NO_INTERNAL_ERROR(r);
      assert.deepEqual(diags(r).map((d) => d.replace(/ \(.*\)$/, '')), [`error RL100 2:${column} expression too long`, "error RL103 4:5 symbol 'nowhere' not defined"]);
      assert.match(r.diagnostics[0]!.message, new RegExp(`more than ${MAX_EXPR_TERMS} `));
    });
    it(`${what}: live NASM fails it too`, function () {
      needNasm(this);
      assert.throws(() => runNasm(source), (e: unknown) => e instanceof NasmError && /:2: error: expression too long/.test(e.message));
    });
  }

  describe(`past ${MAX_EXPR_DEPTH} levels that do not fold: RL110 on the line, nothing thrown`, () => {
    const deep = MAX_EXPR_DEPTH + 1;
    const SOURCES: ReadonlyArray<readonly [string, string]> = [
      ['a sum of symbols', `mov eax, ${sum('y', deep)}`],
      ['nested parentheses', `mov eax, ${repeat('(y+', deep)}y${repeat(')', deep)}`],
      ['unary operators around a symbol', `mov eax, ${repeat('-', deep)}y`],
      ['an effective address', `mov eax, [ebx+${sum('y', deep)}]`],
      ['a TIMES count', `times ${sum('y', deep)} nop`],
      ['data', `dd ${sum('$', deep)}`],
      ['%if', `%if ${repeat('-', deep)}y`],
    ];
    for (const [what, line] of SOURCES) {
      it(what, () => {
        const close = line.startsWith('%if') ? '%endif\n' : '';
        const cli = close ? 5 : 4;
        const r = assemble(`y equ 1\nbits 32\n${line}\n${close}cli\njmp nowhere\n`, { file: 'deep.gasm' });
        NO_INTERNAL_ERROR(r);
        assert.deepEqual(diags(r).map((d) => d.split(' ').slice(0, 3).join(' ')), ['error RL110 3:' + r.diagnostics[0]!.column, `error RL103 ${cli + 1}:5`], diags(r).join('\n'));
        assert.match(r.diagnostics[0]!.message, /^expression too deeply nested/);
        const lint = lintSource(`y equ 1\nbits 32\n${line}\n${close}cli\n`, { file: 'deep.gasm', mode: 'trap-and-emulate' });
        NO_INTERNAL_ERROR(lint);
        assert.deepEqual(lint.diagnostics.map((d) => `${d.code} ${d.line}`), ['RL110 3', `RL201 ${cli}`]);
      });
    }
  });

  it(`the Evaluator takes the deepest tree parseExpr builds (${MAX_EXPR_DEPTH} levels), exact past 2^53`, () => {
    const depth = (e: Expr): number => (e.k === E.Bin ? 1 + Math.max(depth(e.a), depth(e.b)) : e.k === E.Neg || e.k === E.Not || e.k === E.LNot ? 1 + depth(e.a) : 1);
    const tree = parseExpr(new Cursor(lex(sum('y', MAX_EXPR_DEPTH))));
    assert.equal(depth(tree), MAX_EXPR_DEPTH);
    const ev = new Evaluator();
    ev.env = { symbol: () => 0x7fffffffffffffff, exactSymbol: () => 0x7fffffffffffffffn, section: -1, here: 0 };
    ev.eval(tree);
    assert.equal(ev.error, undefined);
    assert.ok(ev.inexact);
    assert.equal(ev.evalExact(tree), BigInt.asIntN(64, BigInt(MAX_EXPR_DEPTH) * 0x7fffffffffffffffn));
    assert.throws(() => parseExpr(new Cursor(lex(sum('y', MAX_EXPR_DEPTH + 1)))), (e: unknown) => e instanceof SyntaxError2 && e.code === 'RL110' && /^expression too deeply nested/.test(e.message));
  });

  it('on a worker thread with a 0.5 MiB stack, the deepest accepted expressions assemble', async () => {
    const asm = path.resolve(__dirname, '../../../core/asm/index.js');
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { assemble } = require(workerData.asm);
      parentPort.postMessage(workerData.sources.map((s) => {
        const r = assemble(s);
        return Buffer.from(r.bytes).toString('hex') + r.diagnostics.map((d) => ' ' + d.code + ' ' + d.message).join('');
      }));`;
    const cases = ACCEPTED.filter(([what]) => !what.includes('%if'));
    const sources = [...cases.map(([, s]) => s), `y equ 1\nbits 32\nmov eax, ${sum('y', MAX_EXPR_DEPTH + 1)}\ncli\n`];
    const got = await new Promise<string[]>((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { asm, sources }, resourceLimits: { stackSizeMb: 0.5 } });
      w.once('message', (m: string[]) => { void w.terminate(); resolve(m); });
      w.once('error', reject);
    });
    assert.deepEqual(got.slice(0, cases.length), cases.map(([, , bytes]) => bytes));
    assert.match(got[cases.length]!, /^ RL110 expression too deeply nested/);
  });
});
