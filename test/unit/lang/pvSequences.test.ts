// The PV replacement sequences: each assembles, lints clean of RL201 under pv (it is what the
// PV ABI asks for instead), and carries the hypercall number DESIGN gives its job.

import * as assert from 'node:assert/strict';
import { assemble } from '../../../core/asm';
import { pvSequenceFor, SHARED_INFO_POINTER } from '../../../core/lang';
import { lint } from '../../../core/lint';

const CASES: ReadonlyArray<[string, RegExp | undefined]> = [
  ['cli', undefined], ['sti', /mov eax, 17/], ['hlt', /mov eax, 29/], ['mov cr3, eax', /mov eax, 26/],
  ['mov cr3, ecx', /mov eax, 26/], ['out dx, al', /mov eax, 18/], ['out 0xf4, al', /mov eax, 29/], ['CLI', undefined],
];

describe('core/lang PV sequences', () => {
  for (const [insn, hypercall] of CASES) {
    it(`'${insn}' -> assembles, no RL201 under pv${hypercall ? `, ${hypercall.source}` : ''}`, () => {
      const seq = pvSequenceFor(insn);
      assert.ok(seq, 'a sequence');
      const body = seq.lines.map(([i]) => `    ${i}`).join('\n');
      const text = `bits 32\n_start:\n${body}\n${SHARED_INFO_POINTER}: dd 0\n`;
      assert.deepEqual(assemble(text).diagnostics, []);
      assert.deepEqual(lint(text, { mode: 'paravirtual' }).filter((d) => d.code === 'RL201'), []);
      if (hypercall) assert.match(body, hypercall);
      assert.equal(seq.needsSharedInfo, /^(cli|sti)$/i.test(insn));
    });
  }

  it('the sti sequence skips the hypercall exactly when nothing is pending (jecxz over mov eax + int)', () => {
    const seq = pvSequenceFor('sti')!;
    const text = `bits 32\norg 0\n${seq.lines.map(([i]) => i).join('\n')}\n${SHARED_INFO_POINTER}: dd 0\n`;
    const r = assemble(text);
    const at = (line: number) => r.sourceMap.find((e) => e.line === line)!.addr;
    const k = seq.lines.findIndex(([i]) => i.startsWith('jecxz'));
    const jecxz = at(k + 3); // the sequence starts on line 3
    assert.equal(r.bytes[jecxz], 0xe3, 'jecxz');
    const target = jecxz + 2 + ((r.bytes[jecxz + 1]! << 24) >> 24);
    assert.deepEqual([seq.lines[k + 1]![0], seq.lines[k + 2]![0]], ['mov eax, 17', 'int 0x82']);
    assert.equal(target, at(k + 6), 'lands just after int 0x82');
  });

  it('no sequence for instructions the PV ABI has none for', () => {
    for (const insn of ['lgdt [eax]', 'mov cr0, eax', 'mov eax, cr3', 'out 0x20, al', 'in al, dx', 'wrmsr', 'nop', 'frob']) {
      assert.equal(pvSequenceFor(insn), undefined, insn);
    }
  });
});
