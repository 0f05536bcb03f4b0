// No guest byte can inject JavaScript: blocks decoded from hostile byte streams compile to
// source made only of the generator's own words, integer literals and operators.

import * as assert from 'assert';
import { blockSource, decodeBlock } from '../../../core/jit';
import { FORMS } from '../../../core/isa';
import { prng } from './lockstep';

/** Every word a block's source may contain: its locals, the CPU's fields and methods it calls, keywords. */
const WORDS = new Set([
  'const', 'let', 'try', 'for', 'if', 'return', 'continue', 'catch', 'throw', 'true', 'false',
  'st', 'r', 'fl', 'c', 'R0', 'W', 'fa', 'fb', 'fr', 'fc', 'x', 'y', 't', 'o', 'at', 'n', 'e', 'D', 'H', 'CH', 'K',
  'state', 'regs', 'flags', 'instructionsRetired', 'fetchLinPage', 'retiredEnd', 'eip', 'addr', 'live',
  'read8', 'read16', 'read32', 'write32', 'push32', 'pop32', 'runIntercepted', 'add', 'sub', 'logic', 'inc', 'dec', 'set',
  'S', 'T', 'M', 'ML', 'RM', 'WM', 'q', 'te', 'p', 'z', 'segs', 'tlb', 'entries', 'memory', 'words', 'sizeBytes', 'readMask',
  'writeMask', 'base', 'fastRead', 'fastWrite', 'db', 'else', 'S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'WRM', 'sl',
]);
const TOKEN = /\s+|[A-Za-z_$][A-Za-z0-9_$]*|\d+|>>>|<<|>>|===|!==|<=|>=|&&|\|\||[-+*&|^~!<>=(){}[\];,.?:]/y;

function check(source: string, where: string): void {
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    assert.ok(m !== null, `${where}: unexpected character ${JSON.stringify(source.slice(at, at + 10))}`);
    const tok = m[0];
    if (/^[A-Za-z_$]/.test(tok)) assert.ok(WORDS.has(tok), `${where}: unexpected word '${tok}'`);
  }
}

describe('jit: generated source', () => {
  it('blocks from 400 hostile byte streams hold only the generator\'s words and integers, and compile', () => {
    let blocks = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const rnd = prng(seed);
      const bytes = new Uint8Array(4096);
      // Mostly random bytes; some streams repeat prefixes and opcodes a decoder treats specially.
      for (let i = 0; i < bytes.length; i++) bytes[i] = seed % 4 === 0 ? [0x66, 0x67, 0xf3, 0xf0, 0x0f, 0x8b, 0x89, 0x01][rnd(8)]! : rnd(256);
      const intercept = seed % 3 === 0 ? Uint8Array.from(FORMS, () => rnd(4) === 0 ? 1 : 0) : null;
      for (let off = 0; off < 4096; off += 1 + rnd(64)) {
        const records = decodeBlock(bytes, off, (0x100000 + off) >>> 0);
        if (records.length === 0) continue;
        const source = blockSource(records, intercept);
        const where = `stream ${seed} offset ${off}`;
        check(source, where);
        assert.doesNotThrow(() => new Function('D', 'H', 'CH', 'K', `return function block(c) {\n${source}\n};`), where);
        blocks++;
      }
    }
    assert.ok(blocks > 10_000, `blocks generated: ${blocks}`);
  });

  it('the checker itself rejects what an injection would need (a string, a foreign word)', () => {
    assert.throws(() => check('r[0] = "x";', 'probe'), /unexpected character/);
    assert.throws(() => check('process.exit(1);', 'probe'), /unexpected word 'process'/);
    assert.throws(() => check('r[0] = `x`;', 'probe'), /unexpected character/);
  });
});
