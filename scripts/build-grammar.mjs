// Writes syntaxes/guest-asm.tmLanguage.json from the instruction table (core/isa) through
// syntaxes/guestAsmGrammar.ts, bundled in memory by esbuild: the mnemonic lists are never typed
// by hand. `npm run build` runs it; `--check` exits 1 if the committed file is out of date.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'syntaxes', 'guest-asm.tmLanguage.json');

const result = await build({
  absWorkingDir: root,
  entryPoints: ['syntaxes/guestAsmGrammar.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  logLevel: 'warning',
});
const dir = mkdtempSync(path.join(os.tmpdir(), 'ringlab-grammar-'));
let grammar;
try {
  const file = path.join(dir, 'grammar.cjs');
  writeFileSync(file, result.outputFiles[0].text);
  grammar = createRequire(import.meta.url)(file).guestAsmGrammar();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const text = JSON.stringify(grammar, null, 2) + '\n';

if (process.argv.includes('--check')) {
  let current = '';
  try { current = readFileSync(target, 'utf8'); } catch { /* missing counts as stale */ }
  if (current !== text) {
    console.error(`${path.relative(root, target)} is out of date: run npm run build (or node scripts/build-grammar.mjs)`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
