// binary-translation: guests print byte-identical output to native (the 17 are translated, so even
// the conformance kernels that read CS RPL, EFLAGS.IF or the I/O bitmap agree), the listing shows
// the lecture's translations, self-modifying code runs right and invalidates its units, inline
// sequences are counted one per cli/sti, and the cache stays bounded.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeSourceFiles } from '../../../cli/nodeFiles';
import { formatTranslationListing, isBinaryTranslation, type BinaryTranslationEngine, type VmmCounters } from '../../../core/hypervisor';
import { TranslationCache } from '../../../core/hypervisor/translationCache';
import type { TranslationUnit } from '../../../core/hypervisor/translator';
import { runGuest, type GuestOutcome, type GuestRun, type GuestRunOptions } from '../../../core/run';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const EQUIVALENCE = [
  'examples/kernel.gasm', 'examples/exceptions.gasm', 'examples/hello.gasm', 'examples/trap-holes.gasm',
  'examples/lecture-bt.gasm', 'examples/selfmod.gasm',
  ...fs.readdirSync(path.join(REPO, 'test/oracle/kernels')).filter((f) => f.endsWith('.gasm')).sort().map((f) => `test/oracle/kernels/${f}`),
];

function runFile(file: string, options: GuestRunOptions = {}, defines: Record<string, string> = {}): GuestOutcome {
  const full = path.join(REPO, file);
  return runGuest({ path: full, bytes: fs.readFileSync(full) }, { files: new NodeSourceFiles(), defines, maxInstructions: 50_000_000, ...options });
}

function runSource(name: string, source: string, options: GuestRunOptions = {}): GuestOutcome {
  return runGuest({ path: name, bytes: Buffer.from(source) }, { maxInstructions: 10_000_000, ...options });
}

/** The finished run and its bt engine (the cache's invariants checked). */
function btRun(o: GuestOutcome): { run: GuestRun; engine: BinaryTranslationEngine; counters: VmmCounters } {
  assert.ok(o.booted, `${o.exit.reason}: ${o.exit.detail ?? ''}`);
  const hypervisor = o.run.hypervisor;
  assert.ok(hypervisor !== null && isBinaryTranslation(hypervisor.engine), 'a bt engine');
  hypervisor.engine.translationCache.assertInvariants();
  return { run: o.run, engine: hypervisor.engine, counters: hypervisor.counters };
}

/** A flat guest (no multiboot header): `body` at 0x100000, then exit through port 0xF4. */
function guest(body: string): string {
  return `bits 32\norg 0x100000\n_start:\n${body}\n  mov al, 0\n  out 0xF4, al\n  cli\n  hlt\n`;
}

describe('bt: binary translation', () => {
  describe('equivalence with native (byte-identical console and exit)', () => {
    for (const file of EQUIVALENCE) {
      it(file, () => {
        const native = runFile(file);
        const bt = runFile(file, { mode: 'binary-translation' });
        assert.ok(native.booted && bt.booted);
        assert.deepEqual(bt.exit, native.exit);
        assert.equal(bt.run.report().console, native.run.report().console);
        assert.ok(btRun(bt).engine.translationCache.size > 0);
        // Timing is native's: the instructions retired are the same, so timer interrupts land
        // on the same instructions.
        assert.equal(bt.run.report().stats.instructions, native.run.report().stats.instructions);
      });
    }
  });

  it('the lecture example: the listing shows the lecture translations of its block', () => {
    const { run, engine } = btRun(runFile('examples/lecture-bt.gasm', { mode: 'binary-translation' }));
    const block = engine.listing().units.find((u) => u.instructions.some((i) => i.guest === 'mov ebx, cr3'));
    assert.ok(block !== undefined, 'a unit holding mov ebx, cr3');
    const translation = (guestText: string): string | undefined => block.instructions.find((i) => i.guest === guestText)?.translation;
    assert.equal(translation('cli'), 'mov [VIF], 0');
    assert.equal(translation('sti'), 'mov [VIF], 1 ; test [INT_PEND], 1 ; jne -> call HANDLE_INTS ; jmp HANDLE_RET');
    assert.equal(translation('mov ebx, cr3'), 'mov [CO_ARG], ebx ; call HANDLE_CR3');
    assert.equal(translation('mov ebx, eax'), 'mov ebx, eax');
    assert.equal(block.instructions.find((i) => i.guest === 'mov ebx, eax')?.kind, 'ident');
    assert.equal(block.instructions.find((i) => i.guest === 'mov ebx, cr3')?.bytes, '0f 20 db');
    assert.equal(block.end, 'control-flow');
    const text = formatTranslationListing(engine.listing());
    assert.match(text, /cli\s+->  mov \[VIF\], 0 {3}\(inline\)/);
    assert.match(text, /mov ebx, cr3\s+->  mov \[CO_ARG\], ebx ; call HANDLE_CR3 {3}\(callout\)/);
    assert.match(text, /mov ebx, eax\s+->  mov ebx, eax {3}\(IDENT\)/);
    // The guest sees ring 0's IF: cleared by cli, set by sti.
    assert.match(run.report().console, /IF after cli: 0x00000000\r\nIF after sti: 0x00000200/);
    const stats = run.report().stats;
    assert.equal(stats.translations, engine.translationCache.size);
    const lines = stats.cycles.map((l) => l.name);
    for (const name of ['translation', 'inlineSequence', 'callout', 'indirectBranch', 'btIo']) assert.ok(lines.includes(name), name);
  });

  it('self-modifying kernel code prints what native prints, invalidates its units and is translated again', () => {
    const { run, engine, counters } = btRun(runFile('examples/selfmod.gasm', { mode: 'binary-translation' }));
    assert.equal(run.report().console, 'ABCD\r\n');
    assert.equal(counters.invalidations, 3, 'one unit (say) dropped per rewrite');
    // `say` (mov al, 'A'..'D'; call putc) is in the listing once, translated after the last rewrite.
    const say = engine.listing().units.filter((u) => /^mov al, 0x4[0-9a-f]$/.test(u.instructions[0]?.guest ?? ''));
    assert.deepEqual(say.map((u) => u.instructions[0]!.guest), ['mov al, 0x44']);
    assert.ok(run.hypervisor!.events.recent().some((e) => e.kind === 'invalidation'));
  });

  it('a guest rewriting its code in a loop keeps the cache the same size', () => {
    // 100 rounds already wrap past 'Z' once (every path of the loop is translated).
    const small = btRun(runFile('examples/selfmod.gasm', { mode: 'binary-translation' }, { ROUNDS: '100' })).engine;
    const large = btRun(runFile('examples/selfmod.gasm', { mode: 'binary-translation' }, { ROUNDS: '2000' }));
    assert.equal(large.counters.invalidations, 1999);
    assert.equal(large.engine.translationCache.size, small.translationCache.size);
  });

  it('N cli/sti pairs: 2N inline sequences, and call-outs only for the I/O', () => {
    const o = runSource('clisti.gasm', guest('  mov ecx, 100\n.l:\n  cli\n  sti\n  loop .l'), { mode: 'binary-translation' });
    const c = btRun(o).counters;
    assert.equal(c.inlineSequences, 200);
    assert.equal(c.callouts, 1, 'out 0xF4 (the machine stops there)');
    assert.equal(c.traps, 0, 'nothing traps: every privileged instruction was translated');
    assert.equal(o.exit.code, 1);
  });

  it('the cache is bounded: a guest with more units than it holds flushes it and still runs', () => {
    const jumps = '  jmp short $+2\n'.repeat(5000); // each jump's target starts a unit
    const o = runSource('jumps.gasm', guest(jumps), { mode: 'binary-translation' });
    const { engine, counters } = btRun(o);
    assert.equal(o.exit.code, 1);
    assert.ok(engine.translationCache.size <= engine.translationCache.capacity);
    assert.ok(engine.translationCache.flushes >= 1);
    assert.ok(counters.translations > engine.translationCache.capacity);
  });

  it('the cache on its own: full means flushed, pages freed, overlap-only invalidation', () => {
    const used: number[] = [];
    const freed: number[] = [];
    const cache = new TranslationCache({ pageUsed: (p) => used.push(p), pageFree: (p) => freed.push(p) }, 3);
    const unit = (physAddr: number, byteLength: number): TranslationUnit =>
      ({ eip: physAddr, physAddr, byteLength, instructions: [], end: 'control-flow', continuation: null, translatedAt: 0 });
    cache.insert(unit(0x1000, 10));
    cache.insert(unit(0x1ffc, 8)); // crosses into page 2
    cache.insert(unit(0x3000, 4));
    assert.deepEqual(used, [1, 2, 3]);
    assert.deepEqual(cache.invalidate(0x1010, 4), [], 'a write beside a unit drops nothing');
    assert.equal(cache.invalidate(0x2002, 1).length, 1, 'a write to the crossing unit\'s second page drops it');
    assert.deepEqual(freed, [2]);
    cache.insert(unit(0x4000, 4));
    cache.insert(unit(0x5000, 4)); // the fourth: flushed first
    assert.equal(cache.flushes, 1);
    assert.equal(cache.size, 1);
    cache.assertInvariants();
  });
});
