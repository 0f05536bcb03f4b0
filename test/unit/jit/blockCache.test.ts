// The compiled translation cache stays bounded and correct when the guest rewrites its code.

import * as assert from 'assert';
import { kernelSource } from '../cpu/system/guestKernel';
import { lockstep } from './lockstep';

/** A loop that rewrites the immediate of an instruction it then executes, on every pass. */
const selfModifying = (passes: number): string => kernelSource(`
  mov ebp, ${passes}
  xor ebx, ebx
.pass:
  mov [.patch + 1], ebp        ; the imm32 of the MOV below
  jmp .patch                   ; a block boundary: the next block is compiled from the new bytes
.patch:
  mov eax, 0
  add ebx, eax
  dec ebp
  jnz .pass
  cmp ebx, ${passes} * ${passes + 1} / 2
  je .ok
  mov al, 1
  out 0xf4, al
.ok:`);

/** Many distinct small blocks: 200 calls to different one-instruction functions. */
function manyBlocks(count: number): string {
  const calls = Array.from({ length: count }, (_, i) => `  call f${i}`).join('\n');
  const funcs = Array.from({ length: count }, (_, i) => `f${i}:\n  add eax, ${i}\n  ret`).join('\n');
  return kernelSource(`  mov ebp, 5\n.again:\n${calls}\n  dec ebp\n  jnz .again\n  jmp done\n${funcs}\ndone:`);
}

describe('jit: the translation cache', () => {
  it('a guest that rewrites its code in a loop gets the new code every pass, and the cache does not grow', () => {
    const short = lockstep(selfModifying(600), 11, 100_000, 'self-modifying loop');
    const long = lockstep(selfModifying(1800), 11, 100_000, 'longer self-modifying loop');
    for (const result of [short, long]) {
      assert.strictEqual(result.stop.reason, 'exit');
      assert.strictEqual(result.stop.code, 1, 'the sum of what the rewritten instruction loaded is right');
    }
    assert.ok(long.stats.invalidations >= 1790, `blocks dropped by writes: ${long.stats.invalidations}`);
    // Three times the rewrites, about the same number of blocks kept (the prelude's and the
    // loop's; the random slices of lockstep start a few blocks at other places): 1,200 more
    // rewrites add no blocks.
    assert.ok(Math.abs(long.live - short.live) < 16, `live blocks after 600 and 1800 rewrites: ${short.live}, ${long.live}`);
  });

  it('past its bound the cache is flushed: live blocks never exceed it, and the run stays exact', () => {
    const result = lockstep(manyBlocks(200), 12, 100_000, 'many blocks', { maxBlocks: 32 });
    assert.strictEqual(result.stop.reason, 'exit');
    assert.ok(result.stats.flushes >= 5, `flushes: ${result.stats.flushes}`);
    assert.ok(result.live <= 32, `live blocks: ${result.live}`);
    assert.ok(result.stats.compiled > 400, `compiled: ${result.stats.compiled}`);
  });
});
