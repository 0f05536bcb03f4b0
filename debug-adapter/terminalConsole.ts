// `console: integratedTerminal`: the guest's COM1 in a terminal of the editor. The adapter
// listens on a loopback port; the terminal (started by the client's runInTerminal) runs a tiny
// Node bridge that connects to it, so keystrokes reach the UART and guest output appears as
// written. Output before the terminal connects is kept and sent when it does.

import * as net from 'node:net';

/** What the terminal runs: `node -e BRIDGE PORT`. Ctrl-C closes the terminal's side only. */
const BRIDGE = [
  "const s = require('net').connect(+process.argv[1], '127.0.0.1');",
  'if (process.stdin.isTTY) process.stdin.setRawMode(true);',
  'process.stdin.on("data", (d) => { if (d.length === 1 && d[0] === 3) process.exit(0); s.write(d); });',
  's.on("data", (d) => process.stdout.write(d));',
  's.on("close", () => process.exit(0));',
  's.on("error", () => process.exit(1));',
].join(' ');

export class TerminalConsole {
  private readonly server: net.Server;
  private socket: net.Socket | null = null;
  private readonly early: Buffer[] = [];
  /** The port, once the server listens. */
  readonly ready: Promise<number>;

  constructor(onInput: (bytes: Uint8Array) => void) {
    this.server = net.createServer((socket) => {
      if (this.socket !== null) { socket.destroy(); return; }
      this.socket = socket;
      for (const b of this.early.splice(0)) socket.write(b);
      socket.on('data', (d: Buffer) => onInput(d));
      socket.on('error', () => undefined);
      socket.on('close', () => { this.socket = null; });
    });
    this.ready = new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  /** The command line for runInTerminal. */
  static bridgeArgs(port: number): string[] {
    return [process.execPath, '-e', BRIDGE, String(port)];
  }

  write(text: string): void {
    const bytes = Buffer.from(text, 'latin1');
    if (this.socket !== null) this.socket.write(bytes);
    else this.early.push(bytes);
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }
}
