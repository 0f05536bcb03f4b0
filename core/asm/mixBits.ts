// The bit mixer of the open-addressing tables (the lexer's spellings, the linter's findings by
// encoding): keys that are close together (consecutive hashes, nearby offsets) would otherwise
// fill consecutive slots, which linear probing turns into long runs.

/** `h` with its bits spread over the whole 32-bit word (any table size takes its low bits). */
export function mixBits(h: number): number {
  const m = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return m ^ (m >>> 12);
}
