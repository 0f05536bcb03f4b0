// Growable byte buffers for sections, with the relocations a flat binary resolves at layout
// time (a value that still carries a section base once the sections have their addresses).

export interface Fixup {
  /** Offset of the field in its section. */
  readonly pos: number;
  readonly bytes: number;
  /** Section whose start address is added / subtracted (-1: none). */
  readonly add: number;
  readonly sub: number;
}

export class ByteWriter {
  buf = new Uint8Array(256);
  length = 0;
  fixups: Fixup[] = [];
  /** The fixups of the pass before this one (see keep). */
  private lastFixups: Fixup[] = [];

  private grow(n: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }

  byte(v: number): void {
    if (this.length >= this.buf.length) this.grow(1);
    this.buf[this.length++] = v;
  }

  /** Little-endian integer of 1, 2, 4 or 8 bytes (two's complement of a 64-bit value). */
  int(v: number, bytes: number): void {
    if (this.length + bytes > this.buf.length) this.grow(bytes);
    let lo: number, hi: number;
    if (v >= -0x80000000 && v <= 0xffffffff) { lo = v >>> 0; hi = v < 0 ? 0xffffffff : 0; } else {
      const b = BigInt.asUintN(64, BigInt(Math.trunc(v)));
      lo = Number(b & 0xffffffffn); hi = Number(b >> 32n);
    }
    const buf = this.buf;
    let p = this.length;
    for (let i = 0; i < bytes; i++) {
      buf[p++] = i < 4 ? (lo >>> (8 * i)) & 0xff : (hi >>> (8 * (i - 4))) & 0xff;
    }
    this.length = p;
  }

  /** Little-endian two's complement of an exact 64-bit value, `bytes` long. */
  exact(v: bigint, bytes: number): void {
    const u = BigInt.asUintN(64, v);
    this.int(Number(u & 0xffffffffn), Math.min(bytes, 4));
    if (bytes > 4) this.int(Number(u >> 32n), bytes - 4);
  }

  fill(v: number, count: number): void {
    if (this.length + count > this.buf.length) this.grow(count);
    this.buf.fill(v, this.length, this.length + count);
    this.length += count;
  }

  bytes(src: Uint8Array): void {
    if (this.length + src.length > this.buf.length) this.grow(src.length);
    this.buf.set(src, this.length);
    this.length += src.length;
  }

  /** Appends src[from, to): a byte loop, as the runs are short (one instruction or data line). */
  range(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.length + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.length;
    for (let i = from; i < to; i++) buf[p++] = src[i]!;
    this.length = p;
  }

  /** Records that the `bytes` just before `pos + bytes` need section addresses added. */
  fix(pos: number, bytes: number, add: number, sub: number): void {
    if (add >= 0 || sub >= 0) this.fixups.push({ pos, bytes, add, sub });
  }

  /**
   * Takes as written the `count` bytes after the end, as the pass before this one wrote them there,
   * with that pass's fixups [fixFrom, fixTo): a statement whose bytes cannot have changed. They are
   * still in the buffer: writes only append, so this pass has not reached them, and the buffer has
   * not grown since it held them.
   */
  keep(count: number, fixFrom: number, fixTo: number): void {
    this.length += count;
    for (let i = fixFrom; i < fixTo; i++) this.fixups.push(this.lastFixups[i]!);
  }

  /** Starts a pass: no bytes, and this pass's fixups apart from the last pass's (for keep). */
  reset(): void {
    this.length = 0;
    this.lastFixups = this.fixups;
    this.fixups = [];
  }
}

/** Adds `delta` to the little-endian field at buf[pos..pos+bytes). */
export function patch(buf: Uint8Array, pos: number, bytes: number, delta: number): void {
  let carry = delta;
  for (let i = 0; i < bytes; i++) {
    const v = buf[pos + i]! + (carry & 0xff) ;
    buf[pos + i] = v & 0xff;
    carry = Math.floor(carry / 256) + (v >> 8);
  }
}
