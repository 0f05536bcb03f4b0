// How `ringlab lsp --stdio` ends, as the protocol says (exit code 0 after shutdown, else 1), on
// both of its ways of serving: on pipes, as every client starts it, the server runs in a worker
// thread that owns stdin and stdout (language-server/serverWorker.ts); with a file or a terminal
// it runs on the main thread. Whichever thread serves, the process must answer and end alike.

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCodes, ExitNotification, HoverRequest, ResponseError, ShutdownRequest } from 'vscode-languageserver-protocol/node';
import { isStreamFd } from '../../language-server/serverWorker';
import { BUNDLE, buildOnce, LspClient, ROOT, uriOf } from './lspClient';

/** One JSON-RPC message with its header, as a client writes it. */
function frame(message: object): string {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('lsp: how the server ends (stdio)', function () {
  this.timeout(60_000);

  /** A server on pipes, initialized, after `end` (and what comes before it): its exit code. */
  async function exitCodeAfter(end: (client: LspClient) => Promise<void> | void): Promise<number | null> {
    const client = new LspClient();
    try {
      await client.initialize();
      await end(client);
      return await client.exitCodeWithin(10_000);
    } finally {
      await client.close();
    }
  }

  it('on pipes: shutdown then exit ends it with 0, after serving a document', async () => {
    assert.equal(await exitCodeAfter(async (client) => {
      const uri = await client.open(path.join(ROOT, 'test', 'lsp', 'lifecycle.gasm'), 'bits 32\ncli\n');
      assert.deepEqual((await client.diagnostics(uri, { version: 1 })).map((d) => d.code), ['RL201']);
      await client.connection.sendRequest(ShutdownRequest.type);
      await client.connection.sendNotification(ExitNotification.type);
    }), 0);
  });

  it('a request before initialize gets ServerNotInitialized; after shutdown, InvalidRequest, and edits are not linted', async () => {
    const client = new LspClient();
    const hover = (uri: string) => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 1 } });
    const code = async (request: Promise<unknown>): Promise<unknown> => request.then(() => 'answered', (e: unknown) => (e instanceof ResponseError ? e.code : e));
    try {
      const uri = uriOf(path.join(ROOT, 'test', 'lsp', 'lifecycle.gasm'));
      assert.equal(await code(hover(uri)), ErrorCodes.ServerNotInitialized);
      await client.initialize();
      await client.open(path.join(ROOT, 'test', 'lsp', 'lifecycle.gasm'), 'bits 32\ncli\n');
      await client.diagnostics(uri, { version: 1 });
      assert.equal(await code(hover(uri)), 'answered');
      await client.connection.sendRequest(ShutdownRequest.type);
      assert.equal(await code(hover(uri)), ErrorCodes.InvalidRequest);
      assert.equal(await code(client.connection.sendRequest(ShutdownRequest.type)), ErrorCodes.InvalidRequest);
      const published = client.publishedCount;
      await client.change(uri, 2, [1, 0], [1, 3], 'hlt');
      // A request answered after the change: the change was handled by then (messages are in order).
      await code(hover(uri));
      assert.equal(client.publishedCount, published, 'no diagnostics after shutdown');
      await client.connection.sendNotification(ExitNotification.type);
      assert.equal(await client.exitCodeWithin(10_000), 0);
    } finally {
      await client.close();
    }
  });

  it('on pipes: exit without shutdown ends it with 1', async () => {
    assert.equal(await exitCodeAfter((client) => client.connection.sendNotification(ExitNotification.type)), 1);
  });

  it('on pipes: a client that closes stdin ends it (with 1: no shutdown came)', async () => {
    assert.equal(await exitCodeAfter((client) => client.endInput()), 1);
  });

  it('with stdout on a file (the main thread serves): answers, and ends with 0 after shutdown and exit', async () => {
    buildOnce();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-lsp-file-'));
    const output = path.join(dir, 'out.jsonrpc');
    const fd = fs.openSync(output, 'w');
    try {
      assert.equal(isStreamFd(fd), false);
      const child = spawn(process.execPath, [BUNDLE, 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', fd, 'pipe'] });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const stdin = child.stdin!;
      /** Waits until the output file holds `pattern` (the server has answered). */
      const answered = async (pattern: RegExp): Promise<void> => {
        for (let i = 0; i < 300 && !pattern.test(fs.readFileSync(output, 'utf8')); i++) await new Promise((r) => setTimeout(r, 50));
        assert.match(fs.readFileSync(output, 'utf8'), pattern);
      };
      stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
      await answered(/"id":1,"result":\{"capabilities":/);
      stdin.write(frame({ method: 'initialized', params: {} }) + frame({ id: 2, method: 'shutdown' }));
      await answered(/"id":2,"result":null/);
      stdin.write(frame({ method: 'exit' }));
      assert.equal(await exited, 0);
    } finally {
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
