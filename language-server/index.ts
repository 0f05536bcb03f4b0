// language-server/: the LSP face of core/lang and core/lint. `ringlab lsp --stdio` starts it on
// the process's standard streams; tests and other hosts can hand it any reader and writer.

import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

export { startServer } from './server';

/**
 * Serves LSP on stdin/stdout until the client sends `exit` or closes the stream. Resolves when
 * the connection closes. Nothing else may write to stdout: console output goes to stderr.
 */
export function serveStdio(): Promise<void> {
  console.log = console.info = console.warn = console.error;
  const connection = createConnection(process.stdin, process.stdout);
  return new Promise((resolve) => {
    connection.onExit(() => resolve());
    process.stdin.on('end', () => resolve());
    startServer(connection);
  });
}
