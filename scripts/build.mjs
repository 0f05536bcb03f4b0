// Bundles the `ringlab` command into dist/: ringlab.js (cli/main.ts: argument dispatch, help)
// and one self-contained file per command module (dist/asm.js, dist/run.js...), which the
// dispatcher requires only when that command runs (see LAZY). Startup is a large part of a short command's
// time, and V8 compiles what it loads: `ringlab asm` should not compile the CPU and the decoder.
// No file resolves TypeScript or node_modules at run time.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/**
 * Modules required lazily (inside a function, only when needed), by the file that requires
 * them: each becomes dist/NAME.js and the require stays a run-time one. The listing is lazy in
 * cli/asm.ts because it brings the disassembler, which `ringlab asm` without -l never uses.
 */
const LAZY = {
  'cli/dispatch.ts': ['asm', 'disasm', 'run', 'lint', 'lsp', 'compare', 'dap', 'demo'],
  'cli/asm.ts': ['listing'],
};

/** Keeps those requires pointing at the sibling bundles instead of bundling the modules. */
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    for (const [importer, names] of Object.entries(LAZY)) {
      const from = path.join(root, importer);
      const filter = new RegExp(`^\\./(${names.join('|')})$`);
      b.onResolve({ filter }, (args) => (args.importer === from ? { path: `${args.path}.js`, external: true } : undefined));
    }
  },
};

try {
  await build({
    absWorkingDir: root,
    entryPoints: [
      { in: 'cli/main.ts', out: 'ringlab' },
      ...Object.values(LAZY).flat().map((name) => ({ in: `cli/${name}.ts`, out: name })),
      { in: 'extension/activate.ts', out: 'extension' }, // the VS Code extension's main (package.json)
    ],
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // vscode is provided by the editor at run time, never bundled (the CLI does not import it).
    external: ['vscode'],
    plugins: [lazyModules],
    define: { RINGLAB_VERSION: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
} catch {
  // esbuild has already printed the errors with their positions.
  process.exit(1);
}
