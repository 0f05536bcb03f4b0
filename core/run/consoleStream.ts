// The guest's serial output on its way to the host: bytes gather in a small buffer that the run
// flushes at every slice (so output streams while the guest runs), and are kept for the report
// only when the host asks (a long run that prints forever must not grow the heap).

import type { ConsoleSink } from '../machine/console';

const CHUNK_BYTES = 16 * 1024;

export class ConsoleStream implements ConsoleSink {
  private buffer = new Uint8Array(CHUNK_BYTES);
  private used = 0;
  private readonly kept: Uint8Array[] = [];
  /** Bytes the guest has written in all. */
  totalBytes = 0;
  /** The host said it no longer listens (a closed pipe): later chunks are dropped. */
  closed = false;

  /** `onChunk` returns false when the host can take no more output (its stdout was closed). */
  constructor(
    private readonly onChunk: ((bytes: Uint8Array) => boolean | void) | undefined,
    private readonly keep: boolean,
  ) {}

  writeByte(byte: number): void {
    this.buffer[this.used++] = byte;
    this.totalBytes++;
    if (this.used === CHUNK_BYTES) this.flush();
  }

  /** Hands the buffered bytes to the host (a copy: the buffer is reused). */
  flush(): void {
    if (this.used === 0) return;
    const chunk = this.buffer.slice(0, this.used);
    this.used = 0;
    if (this.keep) this.kept.push(chunk);
    if (!this.closed && this.onChunk?.(chunk) === false) this.closed = true;
  }

  /** Everything kept so far (flushed first). Empty unless constructed with keep = true. */
  get bytes(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.kept.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.kept) { out.set(c, at); at += c.length; }
    return out;
  }

  /** As core's ConsoleBuffer: bytes above 0x7F map to U+0080-U+00FF, so nothing is lost. */
  get text(): string {
    const bytes = this.bytes;
    let text = '';
    for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return text;
  }
}
