// The language server on a worker thread that owns stdin and stdout (file descriptors 0 and 1),
// so that its heap is sized from code: Node sets a worker's young generation with resourceLimits,
// while the main thread's can only be set by a command-line flag, which `ringlab lsp --stdio` as
// a client runs it (VS Code, Neovim) does not carry. A 50,000-line file's first lint allocates
// about 20 MB; with V8's default 16 MiB semi-space, one or two scavenges (10-20 ms each, copying
// the analysis being built) fell between didOpen and the diagnostics. With 32 MiB they mostly
// fall after them. The process's memory grows (the larger nursery, a second isolate): with that
// file open, 176 against 126 MiB in a server that had warmed up, 117 against about 100 MiB in
// one started for it. 32 MiB is also the floor (see serveInWorker): with that file open in a
// server started for it, 138 against 118 MiB. V8's memory reducer is off (see serveInWorker), so
// an idle server keeps what it last used.
//
// The worker is the module's own file started again: it serves when it finds its mark in
// workerData. Exit codes are the server's (the LSP library exits 0 after shutdown, else 1).

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as v8 from 'node:v8';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

/** V8 makes a young generation of three semi-spaces: 96 MB is 32 MiB semi-spaces. */
const SEMI_SPACE_MB = 32;
const YOUNG_GENERATION_MB = 3 * SEMI_SPACE_MB;
/** workerData of the server's worker. */
const MARK = 'ringlab-language-server';

/**
 * Whether `fd` is a pipe or a socket, as LSP clients give a server: a worker can open its own
 * stream on it. (A terminal or a file is served by the main thread, as Node opens those.)
 */
export function isStreamFd(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

/** Starts the server's worker. Never settles: the process exits with the worker's code. */
export function serveInWorker(): Promise<never> {
  // The young generation's floor: V8's memory reducer shrinks it to 1 MiB semi-spaces once the
  // server idles, and a large file's first lint then ran some twenty scavenges. A flag, as
  // resourceLimits sets only the ceiling; read when the worker's heap is made (this thread's is
  // made already).
  v8.setFlagsFromString(`--min-semi-space-size=${SEMI_SPACE_MB}`);
  // No memory reducer at all: about 25 s into an idle spell it runs full GCs that free the hidden
  // classes of the last lint's objects (deoptimising the code compiled for them) and lower the old
  // generation's limit, so the next large lint crossed it and a 30-40 ms mark-compact fell while
  // its diagnostics were being sent. A 50,000-line file the server had not seen, opened after a
  // minute idle, took 290-350 ms to its diagnostics against 185-240 after 2 s; without the reducer
  // the two are alike. The price is memory that an idle server keeps: 161 against 80 MiB RSS
  // after a minute idle (the same as while it works: 139 with that file open).
  v8.setFlagsFromString('--no-memory-reducer');
  const worker = new Worker(__filename, { workerData: MARK, argv: process.argv.slice(2), resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  // An uncaught error ends the worker (then 'exit' with code 1), as it would end the process.
  worker.on('error', (e) => { process.stderr.write(`ringlab lsp: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`); });
  worker.on('exit', (code) => process.exit(code));
  return new Promise<never>(() => {});
}

/** In the worker: LSP on its own streams over fds 0 and 1 (the main thread never opens them). */
function serveOwnStdio(): void {
  console.log = console.info = console.warn = console.error;
  const input = new net.Socket({ fd: 0, readable: true, writable: false });
  const output = new net.Socket({ fd: 1, readable: false, writable: true });
  // The library exits (this thread, then the process) on `exit` and when the input ends.
  startServer(createConnection(input, output));
}

if (!isMainThread && workerData === MARK) serveOwnStdio();
