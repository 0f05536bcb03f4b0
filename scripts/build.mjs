// Bundles the `ringlab` command (cli/main.ts and everything it imports) into dist/ringlab.js.
// One self-contained file, so `bin/ringlab` starts without resolving TypeScript or node_modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

try {
  await build({
    absWorkingDir: root,
    entryPoints: ['cli/main.ts'],
    outfile: 'dist/ringlab.js',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // vscode is provided by the editor at run time, never bundled (the CLI does not import it).
    external: ['vscode'],
    define: { RINGLAB_VERSION: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
} catch {
  // esbuild has already printed the errors with their positions.
  process.exit(1);
}
