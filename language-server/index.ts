// language-server/: the LSP face of core/lang and core/lint. `ringlab lsp --stdio` starts it on
// the process's standard streams; tests and other hosts can hand it any reader and writer.

import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';
import { isStreamFd, serveInWorker } from './serverWorker';

export { startServer } from './server';

/**
 * Serves LSP on stdin/stdout until the client sends `exit` or closes the stream (the process then
 * exits: 0 after `shutdown`, else 1). On pipes and sockets, as clients start it, the server runs
 * in a worker thread with a larger young generation (serverWorker.ts); a terminal or a file is
 * served here. Nothing else may write to stdout: console output goes to stderr.
 */
export function serveStdio(): Promise<void> {
  console.log = console.info = console.warn = console.error;
  if (isStreamFd(0) && isStreamFd(1)) return serveInWorker();
  const connection = createConnection(process.stdin, process.stdout);
  return new Promise((resolve) => {
    connection.onExit(() => resolve());
    process.stdin.on('end', () => resolve());
    startServer(connection);
  });
}
