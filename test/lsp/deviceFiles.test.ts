// Files that are not regular files (/dev/zero, a FIFO) and files past 64 MiB, named by incbin or
// %include: every host (the CLI's NodeSourceFiles, the server's WorkspaceFiles) refuses them
// without reading, so `ringlab asm` ends with RL106 instead of filling memory for ever, and the
// language server reports RL106 and keeps answering. incbin's bytes are NASM's through every host.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import type { FileRefused, SourceFiles } from '../../core/asm/types';
import { NodeSourceFiles } from '../../cli/nodeFiles';
import { WorkspaceFiles } from '../../language-server/workspaceFiles';
import { tempDir } from '../support/tempDir';
import { BUNDLE, buildOnce, LspClient, uriOf } from './lspClient';

const POSIX = process.platform !== 'win32';
/** The audit's bytes and what NASM 2.16 makes of `incbin` of them (no change at all). */
const BLOB = Uint8Array.from([0xfa, 0xff, 0xc3, 0xa9, 0x80, 0x0f, 0x01, 0x10]);
const NASM_BLOB = 'faffc3a9800f0110';
/** A line that is an error unless the incbin above it gave `n` bytes (division by zero). */
const lengthIs = (n: number): string => `after:\ndb 1/((after - $$) == ${n})\n`;

/** A scratch directory with the blob, a FIFO (POSIX) and a sparse file just past 64 MiB. */
function scratch(purpose: string): { dir: string; fifo: string; big: string } {
  const dir = tempDir(purpose);
  fs.writeFileSync(path.join(dir, 'blob.bin'), BLOB);
  const fifo = path.join(dir, 'fifo');
  if (POSIX) assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  const big = path.join(dir, 'big.bin');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, 64 * 1024 * 1024 + 1);
  return { dir, fifo, big };
}

describe('hosts read regular files only, and at most 64 MiB of one', () => {
  let dir = '', fifo = '', big = '';
  before(() => { ({ dir, fifo, big } = scratch('hostfiles')); });
  const hosts: readonly (readonly [string, () => SourceFiles & { readBytes(p: string, o: number, l: number): Uint8Array | FileRefused | undefined }])[] = [
    ['NodeSourceFiles (the CLI)', () => new NodeSourceFiles()],
    ['WorkspaceFiles (the language server)', () => new WorkspaceFiles()],
  ];
  for (const [name, make] of hosts) {
    describe(name, () => {
      it('/dev/zero is refused as not a regular file, for incbin and %include alike', function () {
        if (!POSIX) this.skip();
        const files = make();
        assert.deepEqual(files.readBytes('/dev/zero', 0, Infinity), { refused: 'not a regular file' });
        assert.deepEqual(files.readBytes('/dev/zero', 5, 10), { refused: 'not a regular file' });
        assert.equal(files.read('/dev/zero'), undefined);
      });

      it('a FIFO without a writer is refused at once, not waited on', function () {
        if (!POSIX) this.skip();
        const files = make();
        assert.deepEqual(files.readBytes(fifo, 0, Infinity), { refused: 'not a regular file' });
        assert.equal(files.read(fifo), undefined);
      });

      it('a directory and a missing file cannot be opened (undefined: RL106 "unable to open")', () => {
        const files = make();
        assert.equal(files.readBytes(dir, 0, Infinity), undefined);
        assert.equal(files.readBytes(path.join(dir, 'missing.bin'), 0, Infinity), undefined);
        assert.equal(files.read(dir), undefined);
      });

      it('a file past 64 MiB is refused whole, but a part of it within the limit is read', () => {
        const files = make();
        assert.deepEqual(files.readBytes(big, 0, Infinity), { refused: '67108865 bytes, over the 64 MiB limit' });
        assert.equal(files.read(big), undefined);
        const part = files.readBytes(big, 0x10, 4);
        assert.ok(part instanceof Uint8Array);
        assert.deepEqual([...part], [0, 0, 0, 0]);
        assert.equal((files.readBytes(big, 1, Infinity) as Uint8Array).length, 64 * 1024 * 1024);
      });

      it('a regular file\'s bytes are its bytes, offset and length in bytes', () => {
        const files = make();
        const blob = path.join(dir, 'blob.bin');
        assert.equal(Buffer.from(files.readBytes(blob, 0, Infinity) as Uint8Array).toString('hex'), NASM_BLOB);
        assert.equal(Buffer.from(files.readBytes(blob, 2, 3) as Uint8Array).toString('hex'), 'c3a980');
        assert.equal(Buffer.from(files.readBytes(blob, 9, 3) as Uint8Array).toString('hex'), '');
      });
    });
  }

  it('WorkspaceFiles: an open document\'s bytes are its unsaved text\'s UTF-8, not the disk\'s', () => {
    const files = new WorkspaceFiles();
    const blob = path.join(dir, 'blob.bin');
    files.setOpen(uriOf(blob), () => 'é€A');
    assert.equal(Buffer.from(files.readBytes(blob, 0, Infinity) as Uint8Array).toString('hex'), 'c3a9e282ac41');
    assert.equal(Buffer.from(files.readBytes(blob, 1, 3) as Uint8Array).toString('hex'), 'a9e282');
    files.setClosed(uriOf(blob));
    assert.equal(Buffer.from(files.readBytes(blob, 0, Infinity) as Uint8Array).toString('hex'), NASM_BLOB);
  });
});

describe('the bundled ringlab command with device files (spawned, with a timeout)', function () {
  this.timeout(120_000);
  let dir = '', fifo = '';

  /** `ringlab args...`, killed if it runs past 20 s (the bug: it never ended). */
  function ringlab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [BUNDLE, ...args], { encoding: 'utf8', timeout: 20_000, cwd: dir });
    assert.equal(r.signal, null, `ringlab ${args.join(' ')} did not end within 20 s`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  function source(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  }

  before(() => {
    buildOnce();
    ({ dir, fifo } = scratch('clidev'));
  });

  it('asm: incbin "/dev/zero" is RL106 "not a regular file", exit 1, no output', function () {
    if (!POSIX) this.skip();
    const file = source('zero.gasm', 'db 1\nincbin "/dev/zero"\n');
    const out = path.join(dir, 'zero.bin');
    const r = ringlab('asm', file, '-o', out);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr.trim(), `${file}:2:8: error: unable to read '/dev/zero': not a regular file [RL106]`);
    assert.equal(fs.existsSync(out), false);
  });

  it('asm: %include "/dev/zero" and a FIFO are RL106 too', function () {
    if (!POSIX) this.skip();
    const file = source('inc.gasm', `%include "/dev/zero"\nincbin "${fifo}"\n%include "${fifo}"\n`);
    const r = ringlab('asm', file, '-o', path.join(dir, 'inc.bin'));
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(r.stderr.trim().split('\n').map((l) => l.replace(/^.*?:(\d+):\d+: error: /, '$1 ').replace(/ \[RL106\]$/, '')).sort(), [
      "1 unable to open include file '/dev/zero'",
      `2 unable to read '${fifo}': not a regular file`,
      `3 unable to open include file '${fifo}'`,
    ]);
  });

  it('lint: the same RL106, and it ends', function () {
    if (!POSIX) this.skip();
    const file = source('lint.gasm', 'incbin "/dev/zero"\n%include "/dev/zero"\n');
    const r = ringlab('lint', file);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `${file}:1:8: error: unable to read '/dev/zero': not a regular file [RL106]`,
      `${file}:2:1: error: unable to open include file '/dev/zero' [RL106]`,
    ]);
  });

  it('asm /dev/zero as the input itself: a usage error past 64 MiB (exit 2), not all memory', function () {
    if (!POSIX) this.skip();
    const r = ringlab('asm', '/dev/zero', '-o', path.join(dir, 'input.bin'));
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), 'ringlab asm: cannot read /dev/zero: larger than 64 MiB');
  });

  it('asm: incbin writes NASM\'s bytes, every byte past 0x7F unchanged', () => {
    const out = path.join(dir, 'blob.out');
    const r = ringlab('asm', source('blob.gasm', 'incbin "blob.bin"\nincbin "blob.bin", 3, 2\n'), '-o', out);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(out).toString('hex'), `${NASM_BLOB}a980`);
  });
});

describe('lsp: device files in incbin and %include get RL106 and the server stays up (stdio client)', function () {
  this.timeout(120_000);
  let dir = '', fifo = '', big = '';
  let client: LspClient;
  let n = 0;

  before(async () => {
    ({ dir, fifo, big } = scratch('lspdev'));
    client = new LspClient();
    await client.initialize(null);
  });
  after(async () => {
    // A server stuck reading would not answer the shutdown: do not wait on it for ever.
    await Promise.race([client.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (client.exitCode === undefined && client.pid !== undefined) process.kill(client.pid);
  });

  /** Opens a document and returns its diagnostics; then checks the server still answers on it. */
  const lintAndProbe = (text: string, name = `dev${n++}.gasm`): Promise<Diagnostic[]> => client.openAndProbe(path.join(dir, name), text, 20_000);

  const summary = (ds: readonly Diagnostic[]): string[] => ds.map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character} ${d.message}`);

  it('incbin "/dev/zero": RL106 on its name, and the server answers', async function () {
    if (!POSIX) this.skip();
    assert.deepEqual(summary(await lintAndProbe('bits 32\nincbin "/dev/zero"\nnop\n')), ["RL106 1:7 unable to read '/dev/zero': not a regular file"]);
  });

  it('%include "/dev/zero": RL106, and the server answers', async function () {
    if (!POSIX) this.skip();
    assert.deepEqual(summary(await lintAndProbe('bits 32\n%include "/dev/zero"\nnop\n')), ["RL106 1:0 unable to open include file '/dev/zero'"]);
  });

  it('a FIFO in incbin and %include: RL106 at once (opening it would wait for a writer)', async function () {
    if (!POSIX) this.skip();
    const ds = await lintAndProbe('bits 32\nincbin "fifo"\n%include "fifo"\n');
    assert.deepEqual(summary(ds).sort(), ['RL106 1:7 unable to read \'fifo\': not a regular file', 'RL106 2:0 unable to open include file \'fifo\'']);
  });

  it('a file past 64 MiB: RL106 naming the limit; a small part of it is fine', async () => {
    const ds = await lintAndProbe(`bits 32\nincbin "${path.basename(big)}"\nincbin "${path.basename(big)}", 16, 4\n`);
    assert.deepEqual(summary(ds), ["RL106 1:7 unable to read 'big.bin': 67108865 bytes, over the 64 MiB limit"]);
  });

  it('then a good document still lints (the server was not left reading)', async () => {
    const ds = await lintAndProbe(`bits 32\nincbin "blob.bin"\n${lengthIs(8)}cli\n`);
    assert.deepEqual(summary(ds).map((s) => s.split(' ').slice(0, 2).join(' ')), ['RL201 4:0']);
  });

  it('incbin of the blob counts NASM\'s 8 bytes (not 7 decoded characters), and its offset counts bytes', async () => {
    assert.deepEqual(await lintAndProbe(`incbin "blob.bin"\n${lengthIs(8)}`), []);
    assert.deepEqual(await lintAndProbe(`incbin "blob.bin", 4\n${lengthIs(4)}`), []);
    assert.deepEqual(summary(await lintAndProbe(`incbin "blob.bin"\n${lengthIs(7)}`)).map((s) => s.split(' ')[0]), ['RL107'], 'the check itself works');
  });

  it('incbin of an open document takes its unsaved text as UTF-8', async () => {
    const notes = path.join(dir, 'notes.txt');
    const notesUri = await client.open(notes, 'é€A');
    await client.diagnostics(notesUri, { version: 1 });
    assert.deepEqual(await lintAndProbe(`incbin "notes.txt"\n${lengthIs(6)}`), []);
    assert.deepEqual(await lintAndProbe(`incbin "notes.txt", 1, 3\n${lengthIs(3)}`), []);
  });

  it('the FIFO was never opened for reading by the server (a writer now would not be met)', function () {
    if (!POSIX) this.skip();
    // Opening the FIFO to write without blocking fails with ENXIO when no reader has it open.
    assert.throws(() => fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK), /ENXIO/);
  });
});
