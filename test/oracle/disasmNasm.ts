// NASM as the disassembler's round-trip check: encodes many independent lines in one NASM run,
// each in its own section whose vstart is the line's address (so relative targets come out right).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EncodeRequest, Reencoder } from '../../core/disasm';

/** NASM's bin output slows down quadratically with the section count: a few hundred per run. */
const CHUNK = 400;

/** Encodes each line alone, as `nasm -f bin` would at its address; undefined where NASM errs. */
export class NasmReencoder implements Reencoder {
  runs = 0;

  encodeMany(requests: readonly EncodeRequest[]): ReadonlyArray<Uint8Array | undefined> {
    const out: Array<Uint8Array | undefined> = new Array(requests.length).fill(undefined);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-disasm-'));
    try {
      for (let start = 0; start < requests.length; start += CHUNK) {
        const idx = [...Array(Math.min(CHUNK, requests.length - start)).keys()].map((k) => start + k);
        this.chunk(dir, requests, idx, out);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return out;
  }

  /** One NASM run; lines NASM rejects are dropped and the rest run again. */
  private chunk(dir: string, requests: readonly EncodeRequest[], idx: number[], out: Array<Uint8Array | undefined>): void {
    const input = path.join(dir, 'in.asm');
    const output = path.join(dir, 'out.bin');
    const map = path.join(dir, 'out.map');
    let live = idx;
    for (let attempt = 0; attempt < 20 && live.length > 0; attempt++) {
      const lines = ['bits 32', `[map sections ${map}]`];
      const lineOwner = new Map<number, number>();
      live.forEach((i, n) => {
        lines.push(`section s${n} vstart=0x${(requests[i]!.addr >>> 0).toString(16)} align=1`);
        lines.push(requests[i]!.text);
        lineOwner.set(lines.length, i);
      });
      fs.writeFileSync(input, lines.join('\n') + '\n');
      this.runs++;
      const r = spawnSync('nasm', ['-f', 'bin', '-w-all', input, '-o', output], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (r.error) throw r.error;
      if (r.status !== 0) {
        const bad = new Set<number>();
        for (const m of r.stderr.matchAll(/:(\d+): (?:error|fatal)/g)) {
          const owner = lineOwner.get(Number(m[1]));
          if (owner !== undefined) bad.add(owner);
        }
        if (bad.size === 0) throw new Error(`nasm failed without a line to blame: ${r.stderr.slice(0, 500)}`);
        live = live.filter((i) => !bad.has(i));
        continue;
      }
      const bin = fs.readFileSync(output);
      const sections = parseMap(fs.readFileSync(map, 'utf8'));
      live.forEach((i, n) => {
        const s = sections.get(`s${n}`);
        out[i] = s ? new Uint8Array(bin.subarray(s.start, s.start + s.length)) : new Uint8Array(0);
      });
      return;
    }
  }
}

/** Section name -> file offset and length, from the "Sections (summary)" table of a map file. */
function parseMap(text: string): Map<string, { start: number; length: number }> {
  const result = new Map<string, { start: number; length: number }>();
  for (const m of text.matchAll(/^\s*([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+progbits\s+(\S+)\s*$/gm)) {
    result.set(m[5]!, { start: parseInt(m[2]!, 16), length: parseInt(m[4]!, 16) });
  }
  return result;
}

/** A deterministic byte stream (xorshift32), so goldens stay valid across runs. */
export function randomBytes(seed: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
