// Runs the in-VS-Code suite (index.ts, extension.spec.ts) with @vscode/test-electron's runTests.
// By default vscodeExecutablePath is ./launcher, which runs it in code-server (.e2e/, Chromium):
// no desktop VS Code can be downloaded here. RINGLAB_VSCODE=desktop lets runTests download a
// desktop VS Code instead (RINGLAB_VSCODE_VERSION picks one; default: stable) and runs the same suite.
// `node out/test/vscode-suite/runTests.js` or `npm run test:vscode`; test/extension/vscodeSuite.test.ts
// runs it under `npm test`.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

export const ROOT = path.resolve(__dirname, '../../..');
export const LAUNCHER = path.join(ROOT, 'test', 'vscode-suite', 'launcher');

/** Resolves when the suite passed; rejects (TestRunFailedError) when it did not. `env` reaches the extension host. */
export async function runVsCodeSuite(env: Record<string, string> = {}): Promise<void> {
  const desktop = process.env['RINGLAB_VSCODE'] === 'desktop';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-vscode-suite-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(ROOT, 'examples'), path.join(workspace, 'examples'), { recursive: true });
  try {
    await runTests({
      ...(desktop ? { version: process.env['RINGLAB_VSCODE_VERSION'] ?? 'stable' } : { vscodeExecutablePath: LAUNCHER }),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: __dirname,
      extensionTestsEnv: env,
      launchArgs: [workspace, '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions'), '--disable-extensions'],
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runVsCodeSuite().then(
    () => process.exit(0),
    (e: unknown) => { process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`); process.exit(1); },
  );
}
