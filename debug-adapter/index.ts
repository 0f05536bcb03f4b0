// debug-adapter: the DAP session over core/debug, and how to serve it on stdin/stdout.

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
