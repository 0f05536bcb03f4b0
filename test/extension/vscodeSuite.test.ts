// The in-VS-Code suite (test/vscode-suite: activation, configuration provider, commands, a debug
// session through vscode.debug.startDebugging) run by @vscode/test-electron's runTests with
// test/vscode-suite/launcher as the VS Code executable: code-server from .e2e/ driven by Chromium.
// Without code-server or Chromium: pending, or failing under RINGLAB_LIVE_ORACLE=1 (CI).

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { missingForE2E, ROOT } from './codeServer';
import { parseLauncherArgs } from '../vscode-suite/launcher';
import { runVsCodeSuite } from '../vscode-suite/runTests';

describe('test/vscode-suite launcher: the flags runTests passes', () => {
  it('reads the paths and the folder, ignores the Electron flags', () => {
    const a = parseLauncherArgs([
      '/tmp/ws', '--user-data-dir', '/tmp/ud', '--no-sandbox', '--disable-gpu-sandbox', '--disable-updates', '--skip-welcome',
      '--extensionTestsPath=/r/out/test/vscode-suite', '--extensionDevelopmentPath=/r', '--extensions-dir=/tmp/ex',
    ]);
    assert.deepEqual(a, { extensionDevelopmentPath: '/r', extensionTestsPath: '/r/out/test/vscode-suite', userDataDir: '/tmp/ud', extensionsDir: '/tmp/ex', folder: '/tmp/ws' });
  });

  it('refuses a command line without the test paths', () => {
    assert.throws(() => parseLauncherArgs(['--extensionDevelopmentPath=/r']), /usage: launcher/);
  });
});

describe('extension API in VS Code: test/vscode-suite through runTests (code-server via the launcher)', function () {
  this.timeout(300_000);

  before(function () {
    // RINGLAB_VSCODE=desktop: runTests downloads a desktop VS Code; code-server is not needed.
    const missing = process.env['RINGLAB_VSCODE'] === 'desktop' ? undefined : missingForE2E();
    if (missing !== undefined) {
      if (process.env['RINGLAB_LIVE_ORACLE'] === '1') throw new Error(`RINGLAB_LIVE_ORACLE=1 but ${missing}`);
      this.skip();
    }
    // The development path loads dist/extension.js: build it from the current sources.
    const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `npm run build failed:\n${r.stdout}${r.stderr}`);
  });

  it('passes: activation, commands, Open Example, F5 without launch.json, a refused field, a trap session stopped and queried', async () => {
    await runVsCodeSuite();
  });

  it('fails the run when a test inside VS Code fails (never a silent pass)', async () => {
    await assert.rejects(runVsCodeSuite({ RINGLAB_SUITE_FAIL: '1', RINGLAB_LAUNCHER_QUIET: '1' }), /failed with code 1/);
  });
});
