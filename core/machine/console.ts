// The console as core sees it: bytes out of the guest's serial port and bytes queued for it.
// Hosts (CLI, debug adapter, tests) supply or read these; core never touches a terminal.

/** Receives each byte the guest transmits, in order. */
export interface ConsoleSink {
  writeByte(byte: number): void;
}

/** A sink that keeps everything, for `ringlab run` output and tests. */
export class ConsoleBuffer implements ConsoleSink {
  private readonly chunks: number[] = [];

  writeByte(byte: number): void { this.chunks.push(byte & 0xff); }

  get bytes(): Uint8Array { return Uint8Array.from(this.chunks); }

  /** The output as text; bytes above 0x7F map to U+0080-U+00FF so nothing is lost or merged. */
  get text(): string {
    let text = '';
    for (const byte of this.chunks) text += String.fromCharCode(byte);
    return text;
  }
}

/** Bytes waiting to be received by the guest; filled by the host before or during a run. */
export class ConsoleInputQueue {
  private readonly pending: number[] = [];
  private head = 0;

  push(bytes: Iterable<number> | string): void {
    if (typeof bytes === 'string') {
      for (let i = 0; i < bytes.length; i++) this.pending.push(bytes.charCodeAt(i) & 0xff);
    } else {
      for (const byte of bytes) this.pending.push(byte & 0xff);
    }
  }

  get length(): number { return this.pending.length - this.head; }

  /** Next byte, or -1 when empty. */
  shift(): number {
    if (this.head >= this.pending.length) return -1;
    const byte = this.pending[this.head++]!;
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
    }
    return byte;
  }
}
