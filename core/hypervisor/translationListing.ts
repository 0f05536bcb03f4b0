// The translation cache as users see it (the debugger's view, `ringlab run --mode bt --listing`):
// each unit with, per guest instruction, its address, bytes, NASM text and its translation.

import type { TranslationCache } from './translationCache';
import { unitLabel, type TranslatedInstruction, type TranslationUnit } from './translator';

export interface TranslationListing {
  readonly units: readonly TranslationUnit[];
  readonly guestInstructions: number;
  readonly flushes: number;
}

/** The cache's units, by guest address. */
export function listTranslationCache(cache: TranslationCache): TranslationListing {
  const units = cache.units();
  let n = 0;
  for (const u of units) n += u.instructions.length;
  return { units, guestInstructions: n, flushes: cache.flushes };
}

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const END_TEXT: Readonly<Record<TranslationUnit['end'], string>> = {
  'control-flow': 'ends at a control transfer',
  limit: 'ends at the 12-instruction limit',
  page: 'ends at the page end',
  undecodable: 'ends before an undecodable instruction',
};

/** Plain text: a header per unit, then one `guest -> translation` line per instruction. */
export function formatTranslationListing(listing: TranslationListing): string {
  const lines = [`translation cache: ${listing.units.length} unit(s), ${listing.guestInstructions} guest instruction(s)` +
    (listing.flushes > 0 ? `, flushed ${listing.flushes} time(s) when full` : '')];
  for (const unit of listing.units) {
    lines.push('', `${unitLabel(unit.eip)}: guest ${hex8(unit.eip)} (physical ${hex8(unit.physAddr)}), ${unit.instructions.length} instruction(s), ${END_TEXT[unit.end]}`);
    const guestWidth = Math.max(12, ...unit.instructions.map((i) => i.guest.length));
    for (const insn of unit.instructions) lines.push(formatInstructionLine(insn, guestWidth));
    if (unit.continuation !== null) lines.push(`  ${' '.repeat(10)}  ${' '.repeat(20)}  ${' '.repeat(guestWidth)}  ->  jmp ${unitLabel(unit.continuation)}   (chained continuation)`);
  }
  return lines.join('\n') + '\n';
}

function formatInstructionLine(insn: TranslatedInstruction, guestWidth: number): string {
  const mark = insn.kind === 'ident' ? 'IDENT' : insn.kind;
  return `  ${hex8(insn.eip)}  ${insn.bytes.padEnd(20)}  ${insn.guest.padEnd(guestWidth)}  ->  ${insn.translation}   (${mark})`;
}
