// Navigation over names the way the assembler (and NASM) reads them: a label's full-form local
// names rename with it; a local label may spell a mnemonic or register; `..@x` and `equ` leave
// the local scope alone; %define'd names are used in preprocessor lines too; a %include name
// leads to its file.

import * as assert from 'node:assert/strict';
import type { SourceFiles } from '../../../core/asm/types';
import { definitionAt, DocumentAnalysis, hoverAt, outline, referencesAt, renameAt, type OutlineSymbol, type RenameEdit } from '../../../core/lang';
import { NasmError, requireNasm, runNasm } from '../../support/nasm';

const MODE = 'trap-and-emulate';

function analysisOf(main: string, others: Readonly<Record<string, string>> = {}): DocumentAnalysis {
  const host: SourceFiles = { read: (p) => others[p], resolve: (_from, name) => `/w/${name}` };
  return new DocumentAnalysis('/w/main.asm', main, { mode: MODE, files: host });
}

/** A file's text with the rename's edits to it applied (edits never overlap). */
function applied(a: DocumentAnalysis, file: string, edits: readonly RenameEdit[]): string {
  const lines = [...a.source(file)!.lines];
  const mine = edits.filter((e) => e.file === file).sort((x, y) => y.line - x.line || y.column - x.column);
  for (const e of mine) {
    const l = lines[e.line - 1]!;
    lines[e.line - 1] = l.slice(0, e.column - 1) + e.newText + l.slice(e.endColumn - 1);
  }
  return lines.join('\n');
}

function editsOf(r: ReturnType<typeof renameAt>): readonly RenameEdit[] {
  assert.ok('edits' in r, 'error' in r ? r.error : '');
  return r.edits;
}

const codes = (a: DocumentAnalysis): string[] => a.lint.diagnostics.map((d) => d.code);
const shape = (syms: readonly OutlineSymbol[]): unknown[] =>
  syms.map((s) => [s.name, s.startLine, s.endLine, s.children.map((c) => [c.name, c.startLine, c.endLine])]);

describe('core/lang navigation, as the assembler names things', () => {
  it('renaming a label also renames its local labels written in full, in every file', () => {
    const main = ['bits 32', 'start:', '.loop: dec ecx', '  jnz .loop', 'other:', '  jmp start.loop', '  call print', '  jmp print.done', '%include "lib.inc"', ''].join('\n');
    const lib = 'print:\n  nop\n.done: ret\n';
    const a = analysisOf(main, { '/w/lib.inc': lib });
    assert.deepEqual(codes(a), []);

    const start = editsOf(renameAt(a, a.file, 2, 1, 'begin'));
    assert.deepEqual(start.map((e) => [e.line, e.column, e.newText]), [[2, 1, 'begin'], [6, 7, 'begin.loop']]);
    assert.deepEqual(codes(analysisOf(applied(a, a.file, start), { '/w/lib.inc': lib })), []);

    const print = editsOf(renameAt(a, '/w/lib.inc', 1, 1, 'puts'));
    assert.deepEqual(print.map((e) => [e.file, e.line, e.newText]), [['/w/main.asm', 7, 'puts'], ['/w/main.asm', 8, 'puts.done'], ['/w/lib.inc', 1, 'puts']]);
    const after = analysisOf(applied(a, a.file, print), { '/w/lib.inc': applied(a, '/w/lib.inc', print) });
    assert.deepEqual(codes(after), []);
  });

  it('renaming a label is refused when a local label under it would take an existing name', () => {
    const a = analysisOf('start:\n.x: nop\nmore:\n  jmp start.x\nother.x: nop\n');
    assert.deepEqual(renameAt(a, a.file, 1, 1, 'other'), { error: "'other.x' is already defined" });
    assert.deepEqual(editsOf(renameAt(a, a.file, 1, 1, 'other2')).map((e) => [e.line, e.newText]), [[1, 'other2'], [4, 'other2.x']]);
  });

  const LOCAL_RENAME = 'bits 32\nstart:\n.x: dec ecx\n  jnz .x\n  jmp start.x\n  ret\n';
  const LOCAL_NAMES_TAKEN = ['.loop', 'loop', '.ret', '.eax', '.dword', '.5', '.a.b', '.@x'];
  const LOCAL_NAMES_REFUSED = ['..x', '.a-b', 'a b'];
  const renamedLocal = (name: string): string => {
    const a = analysisOf(LOCAL_RENAME);
    return applied(a, a.file, editsOf(renameAt(a, a.file, 4, 8, name)));
  };

  it('a local label may be renamed to any name NASM takes after the dot, mnemonics and registers included', () => {
    const a = analysisOf(LOCAL_RENAME);
    for (const name of LOCAL_NAMES_TAKEN) {
      const edits = editsOf(renameAt(a, a.file, 4, 8, name));
      const short = name.startsWith('.') ? name : `.${name}`;
      assert.deepEqual(edits.map((e) => e.newText), [short, short, `start${short}`]);
      assert.deepEqual(codes(analysisOf(renamedLocal(name))), [], renamedLocal(name));
    }
    for (const name of LOCAL_NAMES_REFUSED) assert.deepEqual(renameAt(a, a.file, 4, 8, name), { error: `'${name}' is not a valid local name` });
  });

  it('(live NASM) takes the local names the rename takes, and rejects those it refuses', function () {
    if (!requireNasm(this)) return;
    for (const name of LOCAL_NAMES_TAKEN) assert.ok(runNasm(renamedLocal(name)), name);
    for (const name of LOCAL_NAMES_REFUSED) {
      const short = name.startsWith('.') ? name : `.${name}`;
      assert.throws(() => runNasm(LOCAL_RENAME.replaceAll('.x', short)), NasmError, `NASM takes ${short}`);
    }
  });

  it('(live NASM) defines b.y past a `..@` label', function () {
    if (requireNasm(this)) assert.ok(runNasm('bits 32\nb:\n..@m: nop\n.y: jmp .y\n  jmp b.y\n'));
  });

  it('a `..@` label does not start a new local scope: `.y` after it is still under the label before', () => {
    const text = 'bits 32\nb:\n..@m: nop\n.y: jmp .y\n  jmp b.y\n';
    const a = analysisOf(text);
    assert.deepEqual(codes(a), []);
    assert.deepEqual(definitionAt(a, a.file, 5, 8).map((s) => [s.line, s.column]), [[4, 1]]);
    assert.deepEqual(referencesAt(a, a.file, 4, 1, true).map((s) => [s.line, s.column]), [[4, 1], [4, 9], [5, 7]]);
    assert.ok(hoverAt(a, a.file, 4, 10)!.markdown.startsWith('**b.y**'));
    assert.deepEqual(shape(outline(a, a.file)), [['b', 2, 6, [['.y', 4, 6]]], ['..@m', 3, 6, []]]);
    assert.ok(a.source(a.file)!.index.folds.some((f) => f.startLine === 2 && f.endLine === 5), 'b folds over the `..@` label');
  });

  it('an equ between a label and its local labels leaves them under the label in the outline', () => {
    const a = analysisOf('a:\nSIZE equ 5\n.x: nop\n  jmp .x\nb:\n  nop\n');
    assert.deepEqual(shape(outline(a, a.file)), [['a', 1, 4, [['.x', 3, 4]]], ['SIZE', 2, 2, []], ['b', 5, 7, []]]);
  });

  it('a %define\'d name is used in %if, %elif, %ifdef, %undef and other definitions, and renames there', () => {
    const text = [
      '%define DEBUG 1', '%if DEBUG', '  mov eax, DEBUG', '%elif DEBUG > 1', '%endif', '%ifdef DEBUG', '%endif',
      '%define LIMIT DEBUG+4', '%define f(DEBUG2, x) DEBUG2 + x + DEBUG', '%assign N DEBUG', '%undef DEBUG', '',
    ].join('\n');
    const a = analysisOf(text);
    const refs = referencesAt(a, a.file, 1, 9, true).map((s) => [s.line, s.column]);
    assert.deepEqual(refs, [[1, 9], [2, 5], [3, 12], [4, 7], [6, 8], [8, 15], [9, 35], [10, 11], [11, 8]]);
    assert.deepEqual(referencesAt(a, a.file, 9, 30, true), [], 'a macro parameter is not a use');
    const renamed = applied(a, a.file, editsOf(renameAt(a, a.file, 2, 6, 'TRACE')));
    assert.ok(!/\bDEBUG\b/.test(renamed), renamed);
    assert.deepEqual(codes(analysisOf(renamed)), []);
  });

  it('go to definition on a %include name opens the included file, when it was read', () => {
    const a = analysisOf('%include "lib.inc"\n%include "missing.inc"\n', { '/w/lib.inc': 'nop\n' });
    for (const column of [10, 14, 19]) assert.deepEqual(definitionAt(a, a.file, 1, column), [{ file: '/w/lib.inc', line: 1, column: 1, endColumn: 1 }]);
    assert.deepEqual(definitionAt(a, a.file, 1, 3), [], 'not on the directive');
    assert.deepEqual(definitionAt(a, a.file, 2, 12), [], 'not a file that is not there');
  });

  it('a name with non-ASCII letters is one name, as the assembler reads it (NASM takes bytes past 0x7F for letters)', () => {
    const a = analysisOf('café:\n  jmp café\nélan:\n  jmp élan\n');
    assert.deepEqual(codes(a), []);
    assert.deepEqual(definitionAt(a, '/w/main.asm', 2, 9), [{ file: '/w/main.asm', line: 1, column: 1, endColumn: 5 }]);
    assert.deepEqual(referencesAt(a, '/w/main.asm', 1, 2, true).map((r) => [r.line, r.column, r.endColumn]), [[1, 1, 5], [2, 7, 11]]);
    assert.deepEqual(definitionAt(a, '/w/main.asm', 4, 7), [{ file: '/w/main.asm', line: 3, column: 1, endColumn: 5 }]);
  });
});
