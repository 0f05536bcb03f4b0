// The disassembly view's instructions around an address: `offset` instructions before or after
// it (backwards through the source map where the program says where instructions start, else by
// finding a byte offset whose decoding lands on the address), each with its source line.

import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugRun } from '../core/debug';

export function disassembleAround(run: DebugRun, addr: number, instructionOffset: number, count: number): DebugProtocol.DisassembledInstruction[] {
  let start = addr >>> 0;
  let skip = 0;
  if (instructionOffset < 0) {
    start = backwards(run, addr, -instructionOffset);
  } else {
    skip = instructionOffset;
  }
  const lines = run.disassemble(start, skip + count).slice(skip, skip + count);
  const translated = translations(run);
  return lines.map((l) => {
    const bt = translated.get(l.addr);
    const out: DebugProtocol.DisassembledInstruction = {
      address: `0x${l.addr.toString(16).padStart(8, '0')}`, instructionBytes: l.bytes,
      // Under bt, what the translation cache runs instead, beside the guest's instruction.
      instruction: bt !== undefined && bt !== l.text ? `${l.text.padEnd(28)} ; bt: ${bt}` : l.text,
    };
    const name = run.sourceLines.nameOf(l.addr);
    if (name !== undefined && !name.includes('+')) out.symbol = name;
    const e = run.sourceLines.entryAt(l.addr);
    if (e !== undefined && e.addr === l.addr) {
      out.location = { name: path.basename(e.file), path: e.file };
      out.line = e.line;
      out.column = e.column;
    }
    return out;
  });
}

/** bt: guest address -> its translation, for the instructions in the translation cache. */
function translations(run: DebugRun): Map<number, string> {
  const out = new Map<number, string>();
  const engine = run.guest.hypervisor?.engine as unknown as { listing?: () => { units: readonly { instructions: readonly { eip: number; translation: string }[] }[] } } | undefined;
  if (engine === undefined || typeof engine.listing !== 'function') return out;
  for (const unit of engine.listing().units) for (const i of unit.instructions) out.set(i.eip >>> 0, i.translation);
  return out;
}

/** The address `n` instructions before `addr` (as close as decoding allows). */
function backwards(run: DebugRun, addr: number, n: number): number {
  for (let back = n * 15; back >= n; back--) {
    const from = (addr - back) >>> 0;
    if (from > addr) continue;
    const lines = run.disassemble(from, back + 1);
    const idx = lines.findIndex((l) => l.addr === addr);
    if (idx >= n) return lines[idx - n]!.addr;
  }
  return (addr - n) >>> 0; // nothing decodes onto addr: one byte per instruction
}
