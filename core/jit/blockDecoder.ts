// The guest instructions one block covers: decoded from physical memory starting at a block's
// first byte, within its 4 KiB page (a block never spans pages, so its invalidation and its
// linear-to-physical mapping are one page's), up to a control transfer, an instruction that
// cannot be decoded there (crossing the page, undefined: the interpreter raises its fault), or
// MAX_BLOCK_INSTRUCTIONS.

import { DecodeStatus, Decoded } from '../disasm/decoded';
import { decode } from '../disasm/decoder';
import { FORMS } from '../isa';
import { lockFaults } from '../cpu/lockPrefix';

export const MAX_BLOCK_INSTRUCTIONS = 32;

/** Decoded records (fresh objects the block owns) from `physAddr`, whose EIP is `eip`, ending
 *  before any instruction at a page offset in `stops` (the debugger's breakpoints). */
export function decodeBlock(bytes: Uint8Array, physAddr: number, eip: number, stops: ReadonlySet<number> | null = null): Decoded[] {
  const pageEnd = (physAddr & ~0xfff) + 0x1000;
  const records: Decoded[] = [];
  let at = physAddr;
  let addr = eip >>> 0;
  while (records.length < MAX_BLOCK_INSTRUCTIONS && at < pageEnd) {
    if (stops !== null && stops.has(at & 0xfff)) break;
    const d = new Decoded();
    decode(bytes, at, addr, d, pageEnd);
    if (d.status !== DecodeStatus.Ok || lockFaults(d)) break;
    records.push(d);
    if (FORMS[d.formId]!.flow !== undefined || endsBlock(d)) break;
    at += d.length;
    addr = (addr + d.length) >>> 0;
  }
  return records;
}

/** Instructions after which the next fetch may see a different mapping, privilege or code:
 *  everything privileged or I/O (CR loads, INVLPG, LGDT, port writes that may stop the run). */
function endsBlock(d: Decoded): boolean {
  const p = FORMS[d.formId]!.privilege;
  return p === 'privileged' || p === 'io' || p === 'iopl';
}
