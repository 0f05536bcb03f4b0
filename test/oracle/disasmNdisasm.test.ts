// Instruction lengths against ndisasm (-b32) on random code. Where the two differ there must be a
// known reason: an instruction outside RingLab's table (x87, MMX, SSE, VEX, hint NOPs, segment
// registers 6/7, CR1/CR5-7), a decode-only row ndisasm calls invalid (82, SHL /6, TEST F6/F7 /1), ndisasm
// gluing WAIT to the next instruction, or MOV CRn/DRn with a mod the CPU ignores.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Decoded, decode } from '../../core/disasm';
import { lookupMnemonic } from '../../core/isa';
import { FORM_MOD_IGNORED } from '../../core/disasm/opcodeMap';
import { liveOracle } from '../support/nasm';
import { randomBytes } from './disasmNasm';

const PREFIX_WORD = /^(o16|o32|a16|a32|rep|repe|repne|lock|cs|ds|es|ss|fs|gs)$/;

function ndisasmAvailable(): boolean {
  return spawnSync('ndisasm', ['-h'], { encoding: 'utf8' }).status === 0;
}

/** ndisasm's listing as (offset, length, text), continuation lines (`-XXXX`) folded in. */
function ndisasm(bytes: Uint8Array): Array<{ offset: number; length: number; text: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-ndisasm-'));
  try {
    const file = path.join(dir, 'in.bin');
    fs.writeFileSync(file, bytes);
    const r = spawnSync('ndisasm', ['-b32', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
    const out: Array<{ offset: number; length: number; text: string }> = [];
    for (const line of r.stdout.split('\n')) {
      const cont = /^\s+-([0-9A-F]+)\s*$/.exec(line);
      if (cont && out.length > 0) { out[out.length - 1]!.length += cont[1]!.length / 2; continue; }
      const m = /^([0-9A-F]{8})\s+([0-9A-F]+)\s+(.*)$/.exec(line);
      if (m) out.push({ offset: parseInt(m[1]!, 16), length: m[2]!.length / 2, text: m[3]! });
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Why a length differs, or undefined when no known reason applies. */
function reason(d: Decoded, text: string): string | undefined {
  const words = text.split(/[\s,]+/);
  const mnemonic = words.find((w) => !PREFIX_WORD.test(w)) ?? '';
  if (d.form?.decodeOnly) return 'decode-only row';
  if (d.formId < 0 && (!lookupMnemonic(mnemonic) || /segr|xmm|mm\d|st\d|hint_nop/.test(text))) return 'outside the table';
  // ndisasm reads WAIT with what follows (a prefix, an x87 instruction: `fstsw` is 9B DD /7).
  if (d.form?.mnemonic === 'wait' || /^(\S+ )?wait/.test(text)) return 'ndisasm glues WAIT to the next instruction';
  if (d.formId < 0 && /\bcr[15-7]\b/.test(text)) return 'CR1 and CR5-7 do not exist (#UD)';
  if (d.form && FORM_MOD_IGNORED[d.formId] && d.mod !== 3) return 'MOV CRn/DRn ignores mod';
  return undefined;
}

describe('disasm lengths against ndisasm', () => {
  for (const seed of [99, 7, 12345]) it(`agree on 64 KiB of random code (seed ${seed}), or differ for a known reason`, function () {
    if (!ndisasmAvailable()) {
      if (liveOracle()) throw new Error('RINGLAB_LIVE_ORACLE=1 but ndisasm is not installed');
      this.skip();
    }
    const bytes = randomBytes(seed, 65536);
    const d = new Decoded();
    const reasons = new Map<string, number>();
    const unexplained: string[] = [];
    let compared = 0;
    for (const n of ndisasm(bytes)) {
      compared++;
      const len = decode(bytes, n.offset, n.offset, d);
      if (len === n.length) continue;
      const why = reason(d, n.text);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      else unexplained.push(`0x${n.offset.toString(16)}: ndisasm ${n.length} '${n.text}', RingLab ${len} (${d.form?.source ?? `status ${d.status}`})`);
    }
    console.log(`      ${compared} ndisasm instructions; differences: ${[...reasons].map(([k, v]) => `${v} ${k}`).join(', ')}`);
    assert.deepEqual(unexplained, []);
  });
});
