// The compiled translation cache against the interpreter (the reference): random programs and
// random bytes run in lockstep, the whole state compared after every slice (lockstep.ts).

import * as assert from 'assert';
import { kernelSource } from '../cpu/system/guestKernel';
import { lockstep, prng } from './lockstep';
import { randomProgram } from './randomProgram';

describe('jit: compiled blocks against the interpreter', () => {
  it('random integer loops end in the same state after every slice (120 programs)', () => {
    let compiled = 0, inCompiled = 0, total = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const source = randomProgram(prng(seed));
      const result = lockstep(source, seed, 200_000, `program ${seed}`);
      assert.strictEqual(result.stop.reason, 'exit', `program ${seed} runs to its end (${result.stop.reason})`);
      compiled += result.stats.compiled;
      inCompiled += result.stats.instructions;
      total += result.instructions;
    }
    // The comparison means something only if compiled code ran most of the instructions.
    assert.ok(compiled > 120 * 3, `blocks compiled: ${compiled}`);
    assert.ok(inCompiled > total / 2, `instructions run compiled: ${inCompiled} of ${total}`);
  });

  it('a divide error raised inside a compiled loop is taken at the DIV, with the same state', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const result = lockstep(randomProgram(prng(seed * 7919), { divide: true }), seed, 200_000, `dividing program ${seed}`);
      assert.strictEqual(result.stop.reason, 'exit', `program ${seed} runs to its end`);
      assert.ok(result.stats.instructions > 1000, 'the loop ran compiled');
    }
  });

  it('random bytes executed as code do the same compiled and interpreted (200 streams)', () => {
    let compiled = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = prng(seed * 104729);
      const bytes = Array.from({ length: 512 }, () => rnd(256));
      const source = kernelSource('  jmp hostile', `hostile: db ${bytes.join(', ')}\n  times 64 db 0x90\n  hlt`);
      const result = lockstep(source, seed, 10_000, `byte stream ${seed}`);
      compiled += result.stats.compiled;
    }
    assert.ok(compiled > 200, `blocks compiled from random bytes: ${compiled}`);
  });
});
