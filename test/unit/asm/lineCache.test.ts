// The line cache (AsmCache) must never change what `assemble` returns: a document edited many
// times and assembled with one cache gives, after every edit, exactly the result of assembling
// its text afresh (bytes, diagnostics, symbols, source map), labels, scopes, TIMES and all.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AsmCache, assemble, type AsmResult } from '../../../core/asm';
import { generateAsmSource } from '../../../bench/asmSource';

const GOLDEN = path.resolve(__dirname, '../../../../test/oracle/golden');

function view(r: AsmResult): unknown {
  return { ok: r.ok, bytes: Buffer.from(r.bytes).toString('hex'), origin: r.origin, diagnostics: r.diagnostics, symbols: r.symbols, sourceMap: r.sourceMap, sections: r.sections };
}

/** A deterministic pseudo-random generator, so a failure is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const SNIPPETS = [
  'x: nop', 'x: nop', '.l: db 1', 'jmp .l', 'jmp x', 'K equ 5', 'K equ 6', 'times K nop', 'times L db 0', 'L equ 2',
  'section .data', 'section .text', 'align 8', 'dd x, $', 'mov eax, [x + 4]', 'bogus eax', 'mov eax,', 'push dword K',
  'lonely', 'y:', 'z: nop', '.m: nop', 'jmp y.m', 'jmp z.m', 'a.b: ret', '[bits 32]', 'db "a.b", 0', 'mov al, 300', 'inc eax ; comment', 'inc eax',
];

function edit(lines: string[], next: () => number): void {
  const at = Math.floor(next() * (lines.length + 1));
  const r = next();
  if (r < 0.1) {
    // A block deleted, moved or pasted elsewhere: the lines after it are far from their old place.
    const block = lines.splice(Math.min(at, lines.length), 3 + Math.floor(next() * 8));
    const to = Math.floor(next() * (lines.length + 1));
    if (r < 0.03) return;
    lines.splice(to, 0, ...block);
    if (r < 0.06) lines.splice(Math.floor(next() * (lines.length + 1)), 0, ...block);
  } else if (r < 0.3 && lines.length > 0) lines.splice(Math.min(at, lines.length - 1), 1);
  else if (r < 0.5 && lines.length > 0) lines.splice(at, 0, lines[Math.floor(next() * lines.length)]!);
  else if (r < 0.6 && lines.length > 0) lines[Math.min(at, lines.length - 1)] += ' ';
  else lines.splice(at, 0, SNIPPETS[Math.floor(next() * SNIPPETS.length)]!);
}

function checkEdits(start: string, edits: number, seed: number): void {
  const cache = new AsmCache();
  const lines = start.split('\n');
  const next = rng(seed);
  for (let k = 0; k <= edits; k++) {
    const text = lines.join('\n');
    assert.deepEqual(view(assemble(text, { file: 'f.asm', cache })), view(assemble(text, { file: 'f.asm' })), `after edit ${k} (seed ${seed})`);
    edit(lines, next);
  }
}

describe('assembler: the line cache gives the same result as a fresh assembly', () => {
  it('over random edits of a small program with labels, locals, equ, times and errors', () => {
    for (let seed = 1; seed <= 12; seed++) checkEdits('start:\n.l: nop\njmp .l\nK equ 3\ntimes K db 0\nend: jmp start', 60, seed);
  });
  it('over random edits of the NASM test programs', () => {
    const files = fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.asm'));
    assert.ok(files.length > 0);
    for (const [i, f] of files.entries()) checkEdits(fs.readFileSync(path.join(GOLDEN, f), 'utf8'), 15, 100 + i);
  });
  it('over edits of the benchmark program (2,000 lines)', () => checkEdits(generateAsmSource(2000), 8, 7));
  it('reports a redefined label when the same line text appears twice', () => {
    const cache = new AsmCache();
    assemble('x: nop\nnop', { cache });
    const r = assemble('x: nop\nx: nop', { cache });
    assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.line}`), ['RL104 2']);
  });
  it('names a .local label after the scope it is under now, not the one it was first parsed under', () => {
    const cache = new AsmCache();
    assemble('a:\n.l: ret\njmp a.l', { cache });
    const r = assemble('b:\n.l: ret\njmp b.l', { cache });
    assert.deepEqual(view(r), view(assemble('b:\n.l: ret\njmp b.l')));
  });
  it('opens the scope of a cached label line', () => {
    const cache = new AsmCache();
    assemble('a: nop', { cache });
    const r = assemble('a: nop\n.l: ret\njmp a.l', { cache });
    assert.deepEqual(view(r), view(assemble('a: nop\n.l: ret\njmp a.l')));
  });
  it('opens the scope of a label line reused where the scope was already its own', () => {
    const cache = new AsmCache();
    assemble('a: nop\na:\n.l: ret\njmp a.l', { cache });
    const r = assemble('a:\n.l: ret\njmp a.l', { cache });
    assert.deepEqual(view(r), view(assemble('a:\n.l: ret\njmp a.l')));
  });
});
