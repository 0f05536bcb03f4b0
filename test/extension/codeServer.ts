// A real VS Code for the end-to-end tests: code-server 4.100.3 (VS Code 1.100) from .e2e/
// (installed by .ci/run, outside the extension's own dependencies), served on loopback with a
// throw-away home, user data and extensions folder, and Debian's Chromium driven by
// playwright-core. /work/shared/E2E-VSCODE.md has the recipe this follows.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const E2E_DIR = path.join(ROOT, '.e2e');
export const CODE_SERVER = path.join(E2E_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = '/usr/bin/chromium';
export const VSIX = path.join(ROOT, 'ringlab.vsix');

/** Chromium's flags from the recipe (playwright adds --headless itself). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** What is missing to run a real VS Code here, or undefined when everything is. */
export function missingForE2E(): string | undefined {
  if (!fs.existsSync(CODE_SERVER)) return `code-server is not installed in ${path.relative(ROOT, E2E_DIR)}/ (.ci/run installs it: npm install code-server@4.100.3 there)`;
  if (!fs.existsSync(CHROMIUM)) return 'Debian chromium is not installed (apt-get install chromium)';
  return undefined;
}

/** Builds ringlab.vsix the way users get it (npm run package). */
export function packageVsix(): void {
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}${r.stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** User settings that keep the workbench quiet and predictable for tests and screenshots. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'window.restoreWindows': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.minimap.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'debug.toolBarLocation': 'docked',
};

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  readonly folder: string;
  /** A .vsix to install first (the packaged extension). */
  readonly vsix?: string;
  readonly extensionsDir?: string;
  readonly userDataDir?: string;
  readonly settings?: Record<string, unknown>;
}

export class CodeServer {
  private constructor(
    readonly port: number,
    readonly folder: string,
    readonly home: string,
    readonly extensionsDir: string,
    private readonly child: ChildProcess,
    private readonly log: () => string,
  ) {}

  get url(): string { return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.folder)}`; }

  /** The server's output so far (for failure messages). */
  get output(): string { return this.log(); }

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-code-server-'));
    const userDataDir = options.userDataDir ?? path.join(home, 'user-data');
    const extensionsDir = options.extensionsDir ?? path.join(home, 'extensions');
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.mkdirSync(extensionsDir, { recursive: true });
    if (!fs.existsSync(path.join(extensionsDir, 'extensions.json'))) fs.writeFileSync(path.join(extensionsDir, 'extensions.json'), '[]');
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...options.settings }, null, 2));
    const config = path.join(home, 'config.yaml');
    fs.writeFileSync(config, 'auth: none\n');
    const env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
    };
    const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', config];
    if (options.vsix !== undefined) {
      const r = spawnSync(CODE_SERVER, [...common, '--install-extension', options.vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`code-server --install-extension failed:\n${r.stdout}${r.stderr}`);
    }
    const port = await freePort();
    let log = '';
    const child = spawn(CODE_SERVER, [
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', ...common, options.folder,
    ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (b: Buffer) => { log += b.toString(); });
    child.stderr!.on('data', (b: Buffer) => { log += b.toString(); });
    const server = new CodeServer(port, options.folder, home, extensionsDir, child, () => log);
    try {
      await waitForHealth(port, child, 60_000);
    } catch (e) {
      server.stop();
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n${log}`);
    }
    return server;
  }

  /** Stops code-server by its process group (its file watcher child would outlive it otherwise). */
  stop(): void {
    if (this.child.pid !== undefined && this.child.exitCode === null) {
      try { process.kill(-this.child.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`code-server exited with status ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
      req.on('error', () => resolve(false));
      req.on('timeout', () => { req.destroy(); resolve(false); });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** Whether the bundled `ringlab dap` exists yet (it answers exit status 2 "not yet available" before). */
export function debugAdapterAvailable(): boolean {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'ringlab.js'), 'dap', '--help'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && !/not yet available/.test(r.stdout + r.stderr);
}
