// Behaviours of the integer semantics that the hardware conformance streams cannot reach from a
// Linux process: faults (#DE, #BR, #UD), control flow, 16-bit addressing, segment overrides,
// REP yielding to the CPU loop, ENTER nesting. Snippets are assembled by NASM.

import * as assert from 'node:assert/strict';
import { VECTOR } from '../../../../core/cpu/cpuFault';
import { EFLAGS } from '../../../../core/cpu/cpuState';
import { REP_ITERATIONS_PER_STEP } from '../../../../core/cpu/execute/string';
import { LazyFlags } from '../../../../core/cpu/lazyFlags';
import { nasmBytes, requireNasm } from '../../../support/nasm';
import { FlatContext, step, type StepResult } from './support';

const ORG = 0x1000;

/** A context with `source` at ORG, ESP at the top of 64 KiB, and the registers given. */
function machine(source: string, regs: Record<string, number> = {}): FlatContext {
  const bytes = nasmBytes(`bits 32\norg ${ORG}\n${source}\n`)!;
  const c = new FlatContext(0, 0x10000);
  c.load(ORG, bytes);
  c.state.eip = ORG;
  c.state.regs[4] = 0xfff0;
  const names = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  for (const [k, v] of Object.entries(regs)) c.state.regs[names.indexOf(k)] = v;
  return c;
}
function run(c: FlatContext, n: number): StepResult {
  let r: StepResult = { form: undefined, fault: undefined };
  for (let i = 0; i < n && !r.fault; i++) r = step(c);
  return r;
}
const reg = (c: FlatContext, i: number): number => c.state.regs[i]! >>> 0;

describe('cpu integer semantics', function () {
  beforeEach(function () { requireNasm(this); });

  it('DIV raises #DE on a zero divisor and on a quotient overflow, leaving EIP at the instruction', () => {
    let c = machine('div ecx', { eax: 5, edx: 0, ecx: 0 });
    let r = run(c, 1);
    assert.equal(r.fault?.vector, VECTOR.DE);
    assert.equal(c.state.eip, ORG);
    c = machine('div ecx', { eax: 0, edx: 7, ecx: 7 });
    assert.equal(run(c, 1).fault?.vector, VECTOR.DE);
    c = machine('idiv ecx', { eax: 0, edx: 0x80000000 | 0, ecx: -1 });
    assert.equal(run(c, 1).fault?.vector, VECTOR.DE);
    c = machine('idiv cl', { eax: 0x8000 - 0x10000 + 0x10000, ecx: 0xff }); // -32768 / -1
    r = run(c, 1);
    assert.equal(r.fault?.vector, VECTOR.DE);
  });

  it('64-bit DIV and IDIV give exact quotients and remainders', () => {
    let c = machine('div ecx', { edx: 0xfffffffe | 0, eax: 0xffffffff | 0, ecx: 0xffffffff | 0 });
    run(c, 1);
    assert.deepEqual([reg(c, 0), reg(c, 2)], [0xffffffff, 0xfffffffe]);
    c = machine('idiv ecx', { edx: -1, eax: -7, ecx: 2 });
    run(c, 1);
    assert.deepEqual([c.state.regs[0], c.state.regs[2]], [-3, -1]);
  });

  it('AAM 0 raises #DE; BOUND outside the bounds raises #BR', () => {
    assert.equal(run(machine('aam 0'), 1).fault?.vector, VECTOR.DE);
    const c = machine('bound eax, [bounds]\nhlt\nbounds: dd -2, 5', { eax: 6 });
    assert.equal(run(c, 1).fault?.vector, VECTOR.BR);
    c.state.regs[0] = -2;
    assert.equal(run(c, 1).fault, undefined);
  });

  it('Jcc, LOOP and JECXZ follow the flags and the counter; CALL and RET use the stack', () => {
    const c = machine([
      'mov ecx, 3', 'xor eax, eax',
      'again: add eax, 2', 'loop again',
      'jecxz done', 'mov eax, -1',
      'done: call fn', 'cmp eax, 7', 'jne bad', 'jmp ok',
      'fn: inc eax', 'ret',
      'bad: mov ebx, 1', 'ok: nop',
    ].join('\n'));
    run(c, 16);
    assert.equal(reg(c, 0), 7);
    assert.equal(reg(c, 3), 0);
    assert.equal(reg(c, 4), 0xfff0);
  });

  it('RET imm16 releases the arguments; LOOP under a16 counts CX only', () => {
    let c = machine('push 1\npush 2\ncall f\nhlt\nf: ret 8');
    run(c, 4);
    assert.equal(reg(c, 4), 0xfff0);
    c = machine('a16 loop $', { ecx: 0x12340002 });
    run(c, 2);
    assert.equal(reg(c, 1), 0x12340000);
  });

  it('string instructions: REP MOVSB with DF=0, a16 counters, a source override, REPNE SCASB', () => {
    const c = machine('rep movsb\na16 rep stosb\nrepne scasb\ndb 0', {});
    c.load(0x2000, new TextEncoder().encode('hello'));
    c.state.regs.set([0x41, 5, 0, 0, 0xfff0, 0, 0x2000, 0x3000]);
    run(c, 1);
    assert.equal(new TextDecoder().decode(c.mem.subarray(0x3000, 0x3005)), 'hello');
    assert.deepEqual([reg(c, 1), reg(c, 6), reg(c, 7)], [0, 0x2005, 0x3005]);
    c.state.regs[1] = 0xffff0002; c.state.regs[7] = 0x1234ffff;
    c.state.segs[0]!.base = 0; // ES
    // a16: DI wraps inside 64 KiB and only CX counts
    c.state.regs[7] = 0x00004000;
    run(c, 1);
    assert.equal(reg(c, 1), 0xffff0000);
    assert.equal(reg(c, 7), 0x4002);
    c.state.regs.set([0x6c, 10, 0, 0, 0xfff0, 0, 0, 0x3000]);
    run(c, 1);
    assert.equal(reg(c, 7), 0x3003); // stopped after the first 'l'
    assert.equal(c.flags.zf(), true);
  });

  it('a segment override applies to the source of MOVS and LODS only', () => {
    const c = machine('fs lodsb\nfs movsb');
    c.state.segs[4]!.base = 0x100;
    c.mem[0x2100] = 0x5a; c.mem[0x2101] = 0x77;
    c.state.regs.set([0, 0, 0, 0, 0xfff0, 0, 0x2000, 0x3000]);
    run(c, 2);
    assert.equal(reg(c, 0) & 0xff, 0x5a);
    assert.equal(c.mem[0x3000], 0x77);
  });

  it('a long REP yields after REP_ITERATIONS_PER_STEP iterations with EIP at the instruction', () => {
    const c = machine('rep stosb\nnop', { ecx: REP_ITERATIONS_PER_STEP + 10, edi: 0x4000, eax: 0x11 });
    run(c, 1);
    assert.equal(c.state.eip, ORG);
    assert.equal(reg(c, 1), 10);
    run(c, 1);
    assert.equal(c.state.eip, ORG + 2);
    assert.equal(reg(c, 1), 0);
    assert.equal(c.mem[0x4000 + REP_ITERATIONS_PER_STEP + 9], 0x11);
  });

  it('ENTER with a nesting level copies the outer frame pointers; LEAVE undoes it', () => {
    const c = machine('enter 8, 3\nleave', { ebp: 0xff00 });
    c.state.regs[4] = 0xff00 - 0x20;
    c.load(0xff00 - 8, Uint8Array.of(0xaa, 0, 0, 0, 0xbb, 0, 0, 0)); // frame pointers at ebp-4, ebp-8 (little end first)
    run(c, 1);
    const frame = 0xff00 - 0x20 - 4;
    assert.equal(reg(c, 5), frame);
    assert.equal(reg(c, 4), frame - 8 - 12);
    assert.equal(c.read32(2, frame - 4), 0xbb);  // [ebp-4]
    assert.equal(c.read32(2, frame - 8), 0xaa);  // [ebp-8]
    assert.equal(c.read32(2, frame - 12), frame); // the new frame pointer
    run(c, 1);
    assert.deepEqual([reg(c, 4), reg(c, 5)], [0xff00 - 0x20, 0xff00]);
  });

  it('POP with an ESP-based destination addresses after the pop; a faulting POP keeps ESP', () => {
    let c = machine('push dword 0x1234\npop dword [esp]');
    run(c, 2);
    assert.equal(c.read32(2, 0xfff0), 0x1234);
    c = machine('push dword 0x1234\npop dword [0x20000]');
    const r = run(c, 2);
    assert.ok(r.fault);
    assert.equal(reg(c, 4), 0xfff0 - 4);
  });

  it('LEA under 16-bit addressing wraps the address at 64 KiB', () => {
    const c = machine('lea ax, [bx+si+0x10]', { ebx: 0xfff0, esi: 0x20 });
    run(c, 1);
    assert.equal(reg(c, 0) & 0xffff, 0x0020); // 0xfff0 + 0x20 + 0x10 wraps at 64 KiB
  });

});

describe('lazy flags', () => {
  it('ADD, SUB and their carries, overflows and auxiliary carries at every width', () => {
    const f = new LazyFlags();
    f.add(0xff, 1, 0, 8);
    assert.equal(f.get(), EFLAGS.CF | EFLAGS.ZF | EFLAGS.AF | EFLAGS.PF);
    f.sub(0x80, 1, 0x7f, 8);
    assert.equal(f.get() & (EFLAGS.OF | EFLAGS.CF | EFLAGS.SF), EFLAGS.OF);
    f.sub(0, 1, 0xffffffff | 0, 32);
    assert.ok(f.cf() && f.sf() && !f.of() && !f.zf());
    f.add(0x7fffffff, 1, 0x80000000 | 0, 32);
    assert.ok(f.of() && f.sf() && !f.cf());
  });

  it('INC keeps CF; SET changes only the flags asked for; LOAD replaces all six', () => {
    const f = new LazyFlags();
    f.add(0xffffffff, 1, 0, 32); // CF = 1
    f.inc(1, 2, 32);
    assert.ok(f.cf());
    f.set(EFLAGS.ZF, EFLAGS.ZF);
    assert.ok(f.cf() && f.zf());
    f.load(EFLAGS.OF);
    assert.equal(f.get(), EFLAGS.OF);
  });
});
