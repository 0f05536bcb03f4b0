// debug-adapter: the DAP session over core/debug, and how to serve it on stdin/stdout.

import * as net from 'node:net';
import { RingLabSession } from './session';

export { RingLabSession } from './session';

/** Serves one debug session on stdin/stdout until the client disconnects or closes stdin. */
export function serveStdio(): Promise<void> {
  return new Promise((resolve) => {
    const session = new RingLabSession();
    session.setRunAsServer(false);
    session.start(process.stdin, process.stdout);
    process.stdin.on('end', () => resolve());
    process.stdin.on('close', () => resolve());
  });
}

/** Serves a new debug session per TCP connection on `port` (127.0.0.1) until the process ends;
 *  calls `listening` with the port (0 picks a free one). */
export function serveTcp(port: number, listening: (port: number) => void): Promise<void> {
  return new Promise((_resolve, reject) => {
    const server = net.createServer((socket) => {
      const session = new RingLabSession();
      session.setRunAsServer(true);
      session.start(socket, socket);
      socket.on('error', () => socket.destroy());
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => listening((server.address() as net.AddressInfo).port));
  });
}
