// The entry @vscode/test-electron's extensionTestsPath names: VS Code's extension host requires
// this folder's index.js and awaits run(). It runs extension.spec.js with mocha inside the host,
// where `vscode` is the real API (a desktop VS Code, or code-server through ./launcher).
// The spec is not named *.test.js: the plain `npm test` mocha (no `vscode` module) must not load it.

import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension.spec.js'));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
