// Linting the workspace's guest files ahead of their opening (language-server/lintAhead.ts and
// Analyses.prepare): which files the walk takes, that it yields to the editor's own lints, that
// an analysis made ahead (or kept when its document closed: Analyses.close) is taken only for the
// very text, mode and included files it saw, within a budget of lines, and, through a real client,
// that a file opened from the workspace, or closed and opened again, gets the diagnostics of its text.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyses } from '../../language-server/analyses';
import { guestFilesAmong, guestFilesIn, lintAheadWhileIdle, LIMITS } from '../../language-server/lintAhead';
import { WorkspaceFiles } from '../../language-server/workspaceFiles';
import type { DocumentAnalysis } from '../../core/lang';
import type { Mode } from '../../core/run/modes';
import { tempDir } from '../support/tempDir';
import { LspClient, uriOf } from './lspClient';

/** Writes `files` (relative path: text) under a new temporary folder and returns it. */
function made(files: Record<string, string>): string {
  const root = tempDir('ahead');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const doc = (file: string, text: string, version = 1): TextDocument => TextDocument.create(uriOf(file), 'guest-asm', version, text);

describe('lsp: linting the workspace ahead of opening', function () {
  this.timeout(60_000);

  it('walks guest files breadth-first, skipping dot folders, node_modules, links and other files', () => {
    const root = made({
      'b.gasm': 'cli\n', 'a.gasm': 'hlt\n', 'notes.txt': 'cli\n', 'a.gasm.bak': 'cli\n',
      'sub/c.gasm': 'sti\n', 'sub/deeper/d.gasm': 'nop\n',
      'node_modules/pkg/e.gasm': 'cli\n', '.git/f.gasm': 'cli\n', '.vscode/g.gasm': 'cli\n',
    });
    fs.symlinkSync(path.join(root, 'sub'), path.join(root, 'link'));
    fs.symlinkSync(path.join(root, 'a.gasm'), path.join(root, 'z.gasm'));
    const found = [...guestFilesIn([root])];
    assert.deepEqual(found.map((g) => path.relative(root, g.file)), ['a.gasm', 'b.gasm', path.join('sub', 'c.gasm'), path.join('sub', 'deeper', 'd.gasm')]);
    assert.deepEqual(found.map((g) => [g.text, g.lines]), [['hlt\n', 2], ['cli\n', 2], ['sti\n', 2], ['nop\n', 2]]);
  });

  it('keeps within its limits: file size, total lines, directory entries', () => {
    const root = made({ 'a.gasm': 'nop\n'.repeat(10), 'b.gasm': 'nop\n'.repeat(30), 'c.gasm': 'nop\n'.repeat(5), 'd.gasm': 'x'.repeat(5000) });
    const names = (limits: typeof LIMITS): string[] => [...guestFilesIn([root], limits)].map((g) => path.basename(g.file));
    // b would take the lines over 20 (a has 11, c 6): skipped, and the walk goes on.
    assert.deepEqual(names({ entries: 100, lines: 20, fileBytes: 1000 }), ['a.gasm', 'c.gasm']);
    assert.deepEqual(names({ entries: 100, lines: 1000, fileBytes: 10_000 }), ['a.gasm', 'b.gasm', 'c.gasm', 'd.gasm']);
    assert.deepEqual(names({ entries: 2, lines: 1000, fileBytes: 10_000 }), ['a.gasm', 'b.gasm']);
    assert.deepEqual([...guestFilesIn([path.join(root, 'missing')])], []);
  });

  it('waits while the server is busy and leaves open files alone', async () => {
    const root = made({ 'a.gasm': 'cli\n', 'b.gasm': 'sti\n', 'c.gasm': 'hlt\n' });
    let checks = 0;
    const prepared: string[] = [];
    const busy = (): boolean => ++checks <= 3;
    const result = await lintAheadWhileIdle(guestFilesIn([root]), busy, (f) => f.endsWith('b.gasm'), (f, text) => {
      assert.ok(checks > 3, 'prepared while busy');
      prepared.push(`${path.basename(f)}:${text}`);
    });
    assert.deepEqual(prepared, ['a.gasm:cli\n', 'c.gasm:hlt\n']);
    assert.deepEqual(result, { files: 2, lines: 4 });
  });

  it('a file whose preparation throws is skipped, and the walk goes on', async () => {
    const root = made({ 'a.gasm': 'cli\n', 'b.gasm': 'sti\n' });
    const prepared: string[] = [];
    const result = await lintAheadWhileIdle(guestFilesIn([root]), () => false, () => false, (f) => {
      if (f.endsWith('a.gasm')) throw new Error('boom');
      prepared.push(path.basename(f));
    });
    assert.deepEqual(prepared, ['b.gasm']);
    assert.equal(result.files, 1);
  });

  describe('an analysis made ahead', () => {
    /** Counts the reads of included files: a lint of main.gasm reads inc.gasm. */
    class CountingFiles extends WorkspaceFiles {
      reads = 0;
      override read(file: string): string | undefined { this.reads++; return super.read(file); }
    }
    let mode: Mode = 'trap-and-emulate';
    const setUp = (): { files: CountingFiles; analyses: Analyses; main: string; inc: string; text: string } => {
      const root = made({ 'inc.gasm': 'out 0x80, al\n', 'main.gasm': 'bits 32\n%include "inc.gasm"\ncli\n' });
      mode = 'trap-and-emulate';
      const files = new CountingFiles();
      const main = path.join(root, 'main.gasm');
      return { files, analyses: new Analyses(files, () => mode), main, inc: path.join(root, 'inc.gasm'), text: fs.readFileSync(main, 'utf8') };
    };
    const where = (a: DocumentAnalysis): string[] => a.lint.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.code}`);

    it('is taken, without a lint, when the file opens with the same text; once', () => {
      const { files, analyses, main, text } = setUp();
      analyses.prepare(main, text);
      const reads = files.reads;
      assert.ok(reads > 0);
      const opened = analyses.get(doc(main, text));
      assert.equal(files.reads, reads, 'no lint at the opening');
      assert.deepEqual(where(opened), ['inc.gasm:1:RL201', 'inc.gasm:1:RL203', 'main.gasm:3:RL201']);
      assert.equal(analyses.get(doc(main, text, 2)), opened);
      analyses.forget(uriOf(main), true);
      assert.deepEqual(where(analyses.get(doc(main, text))), where(opened));
      assert.equal(files.reads, 2 * reads, 'taken once: a reopening lints again');
    });

    it('is not taken for another text or another mode, and a new mode drops it', () => {
      const { files, analyses, main, text } = setUp();
      analyses.prepare(main, text);
      assert.deepEqual(where(analyses.get(doc(main, `${text}hlt\n`))).slice(-1), ['main.gasm:4:RL201']);
      analyses.forget(uriOf(main), true);

      analyses.prepare(main, text);
      mode = 'paravirtual';
      assert.equal(analyses.get(doc(main, text)).mode, 'paravirtual');
      analyses.forget(uriOf(main), true);

      mode = 'trap-and-emulate';
      analyses.prepare(main, text);
      mode = 'paravirtual';
      analyses.forgetAheadOfOtherModes();
      mode = 'trap-and-emulate';
      const reads = files.reads;
      analyses.get(doc(main, text));
      assert.ok(files.reads > reads, 'dropped with the mode change: linted at the opening');
    });

    it('is not taken once a file it includes has changed, on disk or in the editor', () => {
      const { files, analyses, main, inc, text } = setUp();
      analyses.prepare(main, text);
      fs.writeFileSync(inc, 'nop\nnop\n'); // another size: the stamp differs whatever the clock says
      assert.deepEqual(where(analyses.get(doc(main, text))), ['main.gasm:3:RL201']);
      analyses.forget(uriOf(main), true);

      analyses.prepare(main, text);
      // The include opens in the editor with other text: the server drops what read it.
      files.setOpen(uriOf(inc), () => 'hlt\n');
      analyses.forgetAheadReading(inc);
      assert.deepEqual(where(analyses.get(doc(main, text))), ['inc.gasm:1:RL201', 'main.gasm:3:RL201']);
    });
  });

  describe("a closed document's analysis", () => {
    const setUp = (keptLines?: number): { analyses: Analyses; root: string; main: string; inc: string; text: string; mode: { now: Mode } } => {
      const root = made({ 'inc.gasm': 'out 0x80, al\n', 'main.gasm': 'bits 32\n%include "inc.gasm"\ncli\n' });
      const mode = { now: 'trap-and-emulate' as Mode };
      const main = path.join(root, 'main.gasm');
      return { analyses: new Analyses(new WorkspaceFiles(), () => mode.now, keptLines), root, main, inc: path.join(root, 'inc.gasm'), text: fs.readFileSync(main, 'utf8'), mode };
    };

    it('is taken when its file opens again with the same text; not for another text', () => {
      const { analyses, main, text } = setUp();
      const first = analyses.get(doc(main, text));
      analyses.close(uriOf(main));
      assert.equal(analyses.peek(uriOf(main)), undefined, 'no longer an open document');
      assert.equal(analyses.get(doc(main, text)), first, 'the same analysis, no lint');
      analyses.close(uriOf(main));
      const edited = analyses.get(doc(main, `${text}hlt\n`));
      assert.notEqual(edited, first);
      assert.equal(edited.lint.diagnostics.at(-1)?.line, 4);
    });

    it('is not taken once a file it read changed on disk, even before the close', () => {
      const { analyses, main, inc, text } = setUp();
      const first = analyses.get(doc(main, text));
      // The client tells the server nothing: the file's stamp from the lint tells.
      fs.writeFileSync(inc, 'nop\nnop\n');
      analyses.close(uriOf(main));
      const again = analyses.get(doc(main, text));
      assert.notEqual(again, first);
      assert.deepEqual(again.lint.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.code}`), ['main.gasm:3:RL201']);
    });

    it('is not kept for another mode or a document that is not a file', () => {
      const { analyses, main, text, mode } = setUp();
      const first = analyses.get(doc(main, text));
      analyses.close(uriOf(main));
      mode.now = 'paravirtual';
      analyses.forgetAheadOfOtherModes();
      mode.now = 'trap-and-emulate';
      assert.notEqual(analyses.get(doc(main, text)), first, 'dropped with the mode change');

      const untitled = TextDocument.create('untitled:Untitled-1', 'guest-asm', 1, 'cli\n');
      const scratch = analyses.get(untitled);
      analyses.close(untitled.uri);
      assert.notEqual(analyses.get(untitled), scratch, 'an untitled document never opens again');
    });

    it('files changed on disk drop the analyses that read them, open or kept, and no other', () => {
      const { analyses, root, main, inc, text } = setUp();
      const other = path.join(root, 'other.gasm');
      const also = path.join(root, 'also.gasm');
      const alone = path.join(root, 'alone.gasm');
      const openMain = analyses.get(doc(main, text));
      const openOther = analyses.get(doc(other, 'cli\n'));
      const keptAlso = analyses.get(doc(also, '%include "inc.gasm"\n'));
      const keptAlone = analyses.get(doc(alone, 'hlt\n'));
      analyses.close(uriOf(also));
      analyses.close(uriOf(alone));

      assert.deepEqual(analyses.changedOnDisk(new Set([path.join(root, 'unrelated.bin')])), []);
      assert.equal(analyses.peek(uriOf(main)), openMain);

      assert.deepEqual(analyses.changedOnDisk(new Set([inc, alone])), [uriOf(main)], 'the open document that reads it, to lint again');
      assert.equal(analyses.peek(uriOf(main)), undefined);
      assert.equal(analyses.peek(uriOf(other)), openOther);
      assert.notEqual(analyses.get(doc(also, '%include "inc.gasm"\n')), keptAlso, 'kept, it read the file');
      assert.notEqual(analyses.get(doc(alone, 'hlt\n')), keptAlone, 'kept, its own file changed: its text is old');
    });

    it('is kept within the budget of lines, the oldest dropped first', () => {
      const { analyses, root } = setUp(10);
      const file = (name: string): string => path.join(root, name);
      // 4 lines each, as an editor counts them (one more than the line feeds); big has 11.
      const texts = new Map([['a', 'nop\nnop\nnop\n'], ['b', 'cli\nnop\nnop\n'], ['c', 'hlt\nnop\nnop\n'], ['big', 'nop\n'.repeat(10)]]);
      const opened = new Map([...texts].map(([n, text]) => [n, analyses.get(doc(file(n), text))]));
      for (const n of texts.keys()) analyses.close(uriOf(file(n)));
      // a, b and c take 12 lines: a, the oldest, goes; big alone is over the budget.
      const kept = [...texts].filter(([n, text]) => analyses.get(doc(file(n), text)) === opened.get(n)).map(([n]) => n);
      assert.deepEqual(kept, ['b', 'c']);
    });
  });

  it('through a client: a workspace file opens with the diagnostics of its text', async () => {
    const root = made({
      'inc.gasm': 'pushf\n',
      'main.gasm': 'bits 32\n%include "inc.gasm"\ncli\n',
      'other.gasm': 'bits 32\nhlt\n',
    });
    const plain = new LspClient();
    const client = new LspClient();
    try {
      await plain.initialize(null);
      const expected = await plain.diagnostics(await plain.open(path.join(root, 'main.gasm'), fs.readFileSync(path.join(root, 'main.gasm'), 'utf8')), { version: 1 });
      assert.deepEqual(expected.map((d) => [d.range.start.line, d.code]), [[1, 'RL202'], [2, 'RL201']]);

      await client.initialize(root);
      assert.match(await client.logMessage(/^linted \d+ workspace file/), /^linted 3 workspace file\(s\) ahead of their opening: 9 lines in \d+ ms$/);
      const main = await client.open(path.join(root, 'main.gasm'), fs.readFileSync(path.join(root, 'main.gasm'), 'utf8'));
      assert.deepEqual(await client.diagnostics(main, { version: 1 }), expected);
      // Opened with text other than the disk's (an editor's unsaved buffer, restored).
      const other = await client.open(path.join(root, 'other.gasm'), 'bits 32\nnop\n');
      assert.deepEqual(await client.diagnostics(other, { version: 1 }), []);
    } finally {
      await plain.close();
      await client.close();
    }
  });

  it('through a client: a file closed and opened again has the diagnostics of its text and includes', async () => {
    const root = made({ 'inc.gasm': 'pushf\n', 'main.gasm': 'bits 32\n%include "inc.gasm"\ncli\n' });
    const main = path.join(root, 'main.gasm');
    const text = fs.readFileSync(main, 'utf8');
    const client = new LspClient();
    try {
      await client.initialize(root);
      const uri = await client.open(main, text);
      const first = await client.diagnostics(uri, { version: 1 });
      assert.deepEqual(first.map((d) => [d.range.start.line, d.code]), [[1, 'RL202'], [2, 'RL201']]);
      let since = client.publishedCount;
      await client.closeDocument(uri);
      assert.deepEqual(await client.diagnostics(uri, { since }), [], 'a closed file shows no diagnostics');
      await client.open(main, text, 2);
      assert.deepEqual(await client.diagnostics(uri, { version: 2 }), first);
      since = client.publishedCount;
      await client.closeDocument(uri);
      await client.diagnostics(uri, { since });
      fs.writeFileSync(path.join(root, 'inc.gasm'), 'nop\nnop\n');
      await client.open(main, text, 3);
      assert.deepEqual((await client.diagnostics(uri, { version: 3 })).map((d) => [d.range.start.line, d.code]), [[2, 'RL201']]);
    } finally {
      await client.close();
    }
  });

  it('the guest files a watcher reports are those the walk would take, within the limits', () => {
    const root = made({ 'a.gasm': 'nop\n', 'sub/b.gasm': 'cli\n', '.git/c.gasm': 'cli\n', 'node_modules/d.gasm': 'cli\n', 'e.inc': 'cli\n', 'big.gasm': 'nop\n'.repeat(30) });
    fs.symlinkSync(path.join(root, 'a.gasm'), path.join(root, 'link.gasm'));
    const outside = made({ 'f.gasm': 'hlt\n' });
    const changed = ['a.gasm', 'sub/b.gasm', '.git/c.gasm', 'node_modules/d.gasm', 'e.inc', 'link.gasm', 'gone.gasm', 'big.gasm', 'a.gasm'].map((r) => path.join(root, r));
    const found = (limits: typeof LIMITS): string[] => [...guestFilesAmong([...changed, path.join(outside, 'f.gasm')], [root], limits)].map((g) => path.relative(root, g.file));
    assert.deepEqual(found(LIMITS), ['a.gasm', path.join('sub', 'b.gasm'), 'big.gasm']);
    assert.deepEqual(found({ ...LIMITS, lines: 20 }), ['a.gasm', path.join('sub', 'b.gasm')]);
    assert.deepEqual(found({ ...LIMITS, fileBytes: 10 }), ['a.gasm', path.join('sub', 'b.gasm')]);
  });

  it('through a client: a workspace file changed on disk is linted ahead again, and opens with its new diagnostics', async () => {
    const root = made({ 'main.gasm': 'bits 32\ncli\n' });
    const main = path.join(root, 'main.gasm');
    const client = new LspClient();
    try {
      await client.initialize(root);
      await client.logMessage(/^linted 1 workspace file/);
      fs.writeFileSync(main, 'bits 32\nnop\npushf\n');
      await client.watchedFilesChanged([{ uri: uriOf(main), type: FileChangeType.Changed }, { uri: uriOf(path.join(root, 'gone.gasm')), type: FileChangeType.Deleted }]);
      assert.match(await client.logMessage(/^linted \d+ changed workspace file/), /^linted 1 changed workspace file\(s\) ahead of their opening: 4 lines in \d+ ms$/);
      const uri = await client.open(main, fs.readFileSync(main, 'utf8'));
      assert.deepEqual((await client.diagnostics(uri, { version: 1 })).map((d) => [d.range.start.line, d.code]), [[2, 'RL202']]);
    } finally {
      await client.close();
    }
  });

  it('through a client: bad files in the workspace are linted ahead alike, and the server stays up', async () => {
    let x = 12345;
    const garbage = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i < 256 ? i : ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff)));
    const root = made({
      'long.gasm': `bits 32\nmov eax, ${'x'.repeat(1 << 20)}\nnop\n`,
      'rec.gasm': '%include "rec.gasm"\ncli\n',
      'string.gasm': 'bits 32\ndb "unterminated\nhlt\n',
    });
    fs.writeFileSync(path.join(root, 'garbage.gasm'), garbage);
    const names = ['garbage.gasm', 'long.gasm', 'rec.gasm', 'string.gasm'];
    const plain = new LspClient();
    const client = new LspClient();
    try {
      await plain.initialize(null);
      await client.initialize(root);
      assert.match(await client.logMessage(/^linted \d+ workspace file/), /^linted 4 workspace file/);
      for (const name of names) {
        const file = path.join(root, name);
        const text = fs.readFileSync(file, 'utf8');
        const expected = await plain.diagnostics(await plain.open(file, text), { version: 1 });
        assert.ok(expected.length > 0, name);
        assert.deepEqual(await client.diagnostics(await client.open(file, text), { version: 1 }), expected, name);
      }
      assert.equal(client.exitCode, undefined, client.stderr);
    } finally {
      await plain.close();
      await client.close();
    }
  });
});
