// Disassembles a byte range into NASM lines that re-assemble to the same bytes: decode, spell,
// check each spelling with a Reencoder, and fall back to `db` (instruction kept in a comment).

import type { Form } from '../isa';
import { Decoded } from './decoded';
import { decode } from './decoder';
import { formatInstruction } from './formatter';
import { nasmPicksAnother } from './nasmChoice';
import { defaultReencoder, type EncodeRequest, type Reencoder } from './reencoder';
import { candidateSpellings, type Spelling } from './spellings';

export interface DisasmLine {
  readonly addr: number;
  readonly length: number;
  readonly bytes: Uint8Array;
  /** NASM text; a `db` line when the bytes have no spelling NASM encodes alike. */
  readonly text: string;
  /** The decoded form, undefined for an undecodable byte (kept for a `db` with a comment too). */
  readonly form: Form | undefined;
  /** The text is a `db` (undecodable byte, or an encoding NASM would not reproduce). */
  readonly isData: boolean;
  /** The label of this address, when the caller's labels name it. */
  readonly label?: string;
}

export interface DisasmOptions {
  /** Names for branch targets (and line labels): a map or a function of the address. */
  readonly labels?: ReadonlyMap<number, string> | ((addr: number) => string | undefined);
  /**
   * The round-trip check. Default: the one set by setDefaultReencoder (RingLab's assembler).
   * `false` skips it: the formatter's spelling is trusted, only known-hopeless encodings become db.
   */
  readonly reencoder?: Reencoder | false;
}

const hexByte = (b: number): string => '0x' + b.toString(16).padStart(2, '0');

/** Disassembles `bytes` loaded at `origin` as 32-bit code. */
export function disassemble(bytes: Uint8Array, origin: number, options: DisasmOptions = {}): DisasmLine[] {
  const labels = options.labels;
  const labelFor = labels === undefined ? undefined
    : typeof labels === 'function' ? labels : (a: number): string | undefined => labels.get(a);
  const reencoder = options.reencoder === false ? undefined : options.reencoder ?? defaultReencoder();

  // Decode the whole range first: the check runs in rounds over every line at once.
  const records: Decoded[] = [];
  for (let off = 0; off < bytes.length;) {
    const d = new Decoded();
    off += decode(bytes, off, (origin + off) >>> 0, d);
    records.push(d);
  }
  const candidates = records.map(candidateSpellings);
  // Without an encoder, trust the first spelling unless NASM's form choice says otherwise.
  const chosen: Array<Spelling | undefined> = candidates.map((c, i) =>
    (reencoder || nasmPicksAnother(records[i]!) ? undefined : c[0]?.spelling));
  if (reencoder) {
    const offsets: number[] = [];
    for (let i = 0, off = 0; i < records.length; off += records[i]!.length, i++) offsets.push(off);
    for (let round = 0; ; round++) {
      const asked: number[] = [];
      const requests: EncodeRequest[] = [];
      candidates.forEach((c, i) => {
        if (chosen[i] === undefined && c[round]) { asked.push(i); requests.push({ text: c[round]!.text, addr: records[i]!.addr }); }
      });
      if (requests.length === 0) break;
      const results = reencoder.encodeMany(requests);
      asked.forEach((i, n) => {
        const got = results[n];
        const d = records[i]!;
        if (got && sameBytes(got, bytes, offsets[i]!, d.length)) chosen[i] = candidates[i]![round]!.spelling;
      });
    }
  }
  const lines: DisasmLine[] = [];
  let off = 0;
  records.forEach((d, i) => {
    const lineBytes = bytes.slice(off, off + d.length);
    off += d.length;
    const spelling = chosen[i];
    const label = labelFor?.(d.addr);
    let text: string;
    if (spelling !== undefined) text = formatInstruction(d, { strict: spelling, ...(labelFor ? { labelFor } : {}) });
    else {
      text = 'db ' + Array.from(lineBytes, hexByte).join(', ');
      if (d.form) text += ' ; ' + formatInstruction(d, { ...(labelFor ? { labelFor } : {}) });
    }
    lines.push({
      addr: d.addr, length: d.length, bytes: lineBytes, text, form: d.form, isData: spelling === undefined,
      ...(label !== undefined ? { label } : {}),
    });
  });
  return lines;
}

function sameBytes(got: Uint8Array, bytes: Uint8Array, off: number, length: number): boolean {
  if (got.length !== length) return false;
  for (let i = 0; i < length; i++) if (got[i] !== bytes[off + i]) return false;
  return true;
}
