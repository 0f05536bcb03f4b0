// Regenerates the NASM goldens of the oracle corpus (test/oracle/golden/corpus.*): writes the
// corpus from the instruction table, assembles it with `nasm -f bin -l`, checks that NASM chose
// each line's form, and writes corpus.asm, corpus.bin and corpus.expected.json. Commit them.
// Run after changing core/isa or test/oracle/corpus.ts:  node scripts/make-goldens.mjs
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const goldenDir = path.join(root, 'test/oracle/golden');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-goldens-'));

try {
  // The generator is TypeScript; bundle it alone so the goldens do not wait on the rest compiling.
  const bundle = path.join(tmp, 'corpus.cjs');
  await build({ absWorkingDir: root, entryPoints: ['test/oracle/corpus.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning' });
  const corpus = createRequire(import.meta.url)(bundle);

  const lines = corpus.generateCorpus();
  const source = corpus.corpusSource(lines);
  const asm = path.join(tmp, 'corpus.asm');
  fs.writeFileSync(asm, source);
  const r = spawnSync('nasm', ['-f', 'bin', asm, '-o', path.join(tmp, 'corpus.bin'), '-l', path.join(tmp, 'corpus.lst')], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run nasm: ${r.error.message} (apt-get install nasm)`);
  if (r.status !== 0 || r.stderr.trim() !== '') {
    // Keep the corpus clean: a warning usually means a sample is not what the form wants.
    throw new Error(`nasm ${r.status === 0 ? 'warned' : 'failed'}:\n${r.stderr.replaceAll(asm, 'corpus.asm')}`);
  }
  const perLine = corpus.bytesPerLine(fs.readFileSync(path.join(tmp, 'corpus.lst'), 'utf8'));
  const first = corpus.CORPUS_HEADER.length + 1;
  const problems = [];
  const golden = lines.map((l, i) => {
    const line = first + i;
    const hex = perLine.get(line) ?? '';
    const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
    const why = corpus.checkLine(l, bytes);
    if (why) problems.push(`corpus.asm:${line}: ${l.text}  -> ${hex || '(no bytes)'}: not ${l.form}: ${why}`);
    return { line, text: l.text, form: l.form, hex };
  });
  if (problems.length > 0) throw new Error(`${problems.length} line(s) do not select their form:\n${problems.join('\n')}`);

  fs.mkdirSync(goldenDir, { recursive: true });
  fs.writeFileSync(path.join(goldenDir, 'corpus.asm'), source);
  fs.copyFileSync(path.join(tmp, 'corpus.bin'), path.join(goldenDir, 'corpus.bin'));
  fs.writeFileSync(path.join(goldenDir, 'corpus.expected.json'), '[\n' + golden.map((g) => JSON.stringify(g)).join(',\n') + '\n]\n');
  const forms = new Set(lines.map((l) => l.form)).size;
  console.log(`make-goldens: ${golden.length} lines covering ${forms} forms, ${fs.statSync(path.join(goldenDir, 'corpus.bin')).size} bytes (${spawnSync('nasm', ['-v'], { encoding: 'utf8' }).stdout.trim()})`);
} catch (e) {
  console.error(`make-goldens: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
