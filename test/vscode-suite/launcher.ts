// What `./launcher` runs: a VS Code executable as far as @vscode/test-electron's runTests can
// tell, that runs the extension tests in code-server (VS Code 1.100 served to a browser, from
// .e2e/) instead of a desktop VS Code. It reads the flags runTests passes
// (--extensionDevelopmentPath, --extensionTestsPath, --user-data-dir, --extensions-dir and the
// folder to open; the Electron-only ones are ignored), starts code-server on loopback
// (test/extension/codeServer.ts), opens the workbench with those paths in the page URL's payload
// in Debian's Chromium, and exits with the code the workbench reports through
// window.codeAutomationExit (0: the suite passed). /work/shared/E2E-VSCODE.md has the recipe.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, CodeServer, missingForE2E } from '../extension/codeServer';

export interface LauncherArgs {
  readonly extensionDevelopmentPath: string;
  readonly extensionTestsPath: string;
  readonly userDataDir?: string;
  readonly extensionsDir?: string;
  readonly folder?: string;
}

/** The flags VS Code's CLI would take (`--flag=value` or `--flag value`); the others are ignored. */
export function parseLauncherArgs(argv: readonly string[]): LauncherArgs {
  const values = new Map<string, string>();
  const positional: string[] = [];
  const wanted = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(a);
    if (m === null) { positional.push(a); continue; }
    const [, name, inline] = m as unknown as [string, string, string | undefined];
    if (!wanted.includes(name)) continue; // --no-sandbox, --disable-updates, ...: flags without a value
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name}: missing value`);
    values.set(name, value);
  }
  const extensionDevelopmentPath = values.get('extensionDevelopmentPath');
  const extensionTestsPath = values.get('extensionTestsPath');
  if (extensionDevelopmentPath === undefined || extensionTestsPath === undefined) {
    throw new Error('usage: launcher --extensionDevelopmentPath=DIR --extensionTestsPath=DIR [--user-data-dir=DIR] [--extensions-dir=DIR] [FOLDER]');
  }
  const userDataDir = values.get('user-data-dir');
  const extensionsDir = values.get('extensions-dir');
  const folder = positional[0];
  return {
    extensionDevelopmentPath: path.resolve(extensionDevelopmentPath),
    extensionTestsPath: path.resolve(extensionTestsPath),
    ...(userDataDir !== undefined ? { userDataDir: path.resolve(userDataDir) } : {}),
    ...(extensionsDir !== undefined ? { extensionsDir: path.resolve(extensionsDir) } : {}),
    ...(folder !== undefined ? { folder: path.resolve(folder) } : {}),
  };
}

/** Runs the suite in code-server; resolves to the exit code the workbench reported. */
export async function launch(args: LauncherArgs, timeoutMs = 280_000): Promise<number> {
  const missing = missingForE2E();
  if (missing !== undefined) throw new Error(missing);
  const emptyFolder = args.folder === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-suite-ws-')) : undefined;
  const folder = args.folder ?? emptyFolder!;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await CodeServer.start({
      folder,
      ...(args.userDataDir !== undefined ? { userDataDir: args.userDataDir } : {}),
      ...(args.extensionsDir !== undefined ? { extensionsDir: args.extensionsDir } : {}),
    });
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${server!.port}${p}`;
    const payload = [['extensionDevelopmentPath', remote(args.extensionDevelopmentPath)], ['extensionTestsPath', remote(args.extensionTestsPath)]];
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let report: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => { report = resolve; });
    await page.exposeFunction('codeAutomationExit', (code: unknown) => { report(typeof code === 'number' ? code : 1); });
    // The extension host's console (mocha's reporter included) reaches the page's console.
    // The extension host's console (mocha's spec reporter) reaches the page's console as
    // ('%c INFO', 'color: …', format, ...args): print mocha's lines, formatted, unless
    // RINGLAB_LAUNCHER_QUIET=1 (the deliberately failing run of test/extension/vscodeSuite.test.ts).
    if (process.env['RINGLAB_LAUNCHER_QUIET'] !== '1') page.on('console', (msg) => {
      void Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '?'))).then((values: unknown[]) => {
        const text = typeof values[0] === 'string' && values[0].startsWith('%c') ? format(...values.slice(2)) : msg.text();
        if (/passing|failing|pending|✔|✓|^\s+\d+\) |Error|^\s+at |RingLab/.test(text)) process.stdout.write(`${text}\n`);
      }, () => undefined);
    });
    await page.goto(`${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the extension tests did not finish within ${timeoutMs} ms\n${server!.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    server?.stop();
    if (emptyFolder !== undefined) fs.rmSync(emptyFolder, { recursive: true, force: true });
  }
}

if (require.main === module) {
  launch(parseLauncherArgs(process.argv.slice(2))).then(
    (code) => process.exit(code),
    (e: unknown) => { process.stderr.write(`launcher: ${e instanceof Error ? e.message : String(e)}\n`); process.exit(2); },
  );
}
