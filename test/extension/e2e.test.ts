// End to end in a real VS Code: the packaged ringlab.vsix installed into code-server 4.100.3
// (VS Code 1.100) on loopback, driven with Debian's Chromium through playwright-core, as a user
// would: open an example, see the lint warnings in the Problems panel, open the Rings view,
// compare the modes; with the debug adapter, stop on a breakpoint, read CR3 and VIF, step into a
// trap. Screenshots go to out/e2e-screenshots (docs/screenshots with RINGLAB_UPDATE_SCREENSHOTS=1).
// Without code-server or Chromium: pending, or failing under RINGLAB_LIVE_ORACLE=1 (CI).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, CodeServer, debugAdapterAvailable, missingForE2E, packageVsix, ROOT, VSIX } from './codeServer';
import { goToLine, openFile, problems, runCommand, screenshot, waitForWorkbench } from './workbench';

function lineOf(file: string, pattern: RegExp): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => pattern.test(l));
  assert.ok(i >= 0, `${pattern} in ${file}`);
  return i + 1;
}

describe('extension end to end: ringlab.vsix in code-server, driven by Chromium', function () {
  this.timeout(240_000);
  let workspace: string;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    const missing = missingForE2E();
    if (missing !== undefined) {
      if (process.env['RINGLAB_LIVE_ORACLE'] === '1') throw new Error(`RINGLAB_LIVE_ORACLE=1 but ${missing}`);
      this.skip();
    }
    packageVsix();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-ws-'));
    fs.cpSync(path.join(ROOT, 'examples'), path.join(workspace, 'examples'), { recursive: true });
    server = await CodeServer.start({ folder: workspace, vsix: VSIX });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await waitForWorkbench(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page !== undefined) {
      await screenshot(page, `failed-${this.currentTest.title.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    server?.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('installs the packaged extension', () => {
    const installed = fs.readdirSync(server!.extensionsDir).filter((d) => d.startsWith('ringlab.ringlab-'));
    assert.equal(installed.length, 1, fs.readdirSync(server!.extensionsDir).join(', '));
  });

  it('opens examples/trap-holes.gasm as guest-asm, highlighted, with RL202 warnings in the Problems panel', async () => {
    await openFile(page, 'trap-holes.gasm');
    // The status bar's language mode says the file is guest assembly.
    await page.locator('.statusbar-item[id="status.editor.mode"]').filter({ hasText: /Guest Assembly/ }).waitFor({ timeout: 30_000 });
    // The grammar marks sensitive mnemonics with their own scope: a token class shows up in the editor.
    await goToLine(page, lineOf(path.join(workspace, 'examples', 'trap-holes.gasm'), /^\s+sgdt \[seen\]/));
    const panel = await problems(page);
    await panel.getByText(/RL202/).first().waitFor({ timeout: 60_000 });
    // Warnings sort first; the RL201 infos are further down the (virtual) list: the count says they came.
    const text = await panel.innerText();
    assert.match(text, /sgdt \[seen\]/);
    assert.match(text, /sensitive but unprivileged/);
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 10_000 });
    await screenshot(page, '01-lint-problems');
  });

  it('shows the Rings view for the default mode (trap-and-emulate: kernel at ring 1, VMM at ring 0)', async () => {
    await runCommand(page, 'RingLab: Show Rings View');
    const view = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /Rings/i }) }).first();
    await view.waitFor({ timeout: 20_000 });
    // The webview's document is two iframes deep.
    const inner = page.frameLocator('iframe.webview').first().frameLocator('iframe').first();
    await inner.getByText('Trap-and-emulate').first().waitFor({ timeout: 30_000 });
    assert.ok(await inner.getByText('Guest kernel').first().isVisible());
    await screenshot(page, '02-rings-view');
  });

  it('compares the virtualization modes: a chart of cycles and counts', async () => {
    await openFile(page, 'trap-holes.gasm');
    await runCommand(page, 'RingLab: Compare Virtualization Modes');
    await page.locator('.tab').filter({ hasText: 'Compare: trap-holes.gasm' }).first().waitFor({ timeout: 120_000 });
    // Each webview is an iframe holding the document's iframe; find the one with the chart.
    const deadline = Date.now() + 30_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      for (let i = 0; i < (await page.locator('iframe.webview').count()) && !found; i++) {
        const inner = page.frameLocator('iframe.webview').nth(i).frameLocator('iframe').first();
        found = (await inner.getByText('Simulated cycles').count().catch(() => 0)) > 0;
        if (found) assert.ok((await inner.locator('tr[data-mode="trap-and-emulate"]').count()) > 0);
      }
      if (!found) await page.waitForTimeout(500);
    }
    assert.ok(found, 'the comparison chart is shown');
    await screenshot(page, '03-compare-modes');
  });

  describe('debugging (needs `ringlab dap`)', () => {
    before(function () {
      if (!debugAdapterAvailable()) this.skip(); // pending until the debug adapter lands (issue 6)
    });

    it('stops on a breakpoint, shows CR3 and VIF, steps into a trap and its VMM listing, and the Rings view shows the VMM', async () => {
      const kernel = path.join(workspace, 'examples', 'kernel.gasm');
      const line = lineOf(kernel, /^\s+mov cr3, eax/);
      await runCommand(page, 'View: Close All Editors');
      await openFile(page, 'kernel.gasm');
      await goToLine(page, line);
      await page.keyboard.press('F9');
      await page.locator('.monaco-editor .codicon-debug-breakpoint, .monaco-editor [class*="codicon-debug-breakpoint"]').first().waitFor({ state: 'attached', timeout: 10_000 });
      // F5 with no launch.json: the configuration provider debugs the open file (stopOnEntry).
      await page.keyboard.press('F5');
      const stack = page.locator('.debug-call-stack');
      await stack.filter({ hasText: /kernel\.gasm/ }).first().waitFor({ timeout: 60_000 });
      await page.keyboard.press('F5'); // continue to the breakpoint
      await stack.filter({ hasText: `${line}:9` }).first().waitFor({ timeout: 60_000 });
      // The views redraw while the stop's state arrives (scopes, the extension's ringlab/state):
      // let them settle before clicking rows of a virtual list.
      await page.waitForTimeout(2_000);
      const variables = page.locator('.debug-variables');
      const scopeRow = (name: string) => variables.locator('.monaco-list-row').filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) }).first();
      // The list is virtual and redraws while the session's state arrives (a row can be detached
      // under the click): set a scope's state by its aria-expanded, retrying until it holds.
      const setExpanded = async (name: string, expanded: boolean): Promise<void> => {
        for (let attempt = 0; attempt < 20; attempt++) {
          const state = await scopeRow(name).getAttribute('aria-expanded', { timeout: 2_000 }).catch(() => null);
          if (state === String(expanded)) return;
          await scopeRow(name).click({ timeout: 2_000 }).catch(() => undefined);
        }
        throw new Error(`the Variables scope ${name} did not ${expanded ? 'expand' : 'collapse'}`);
      };
      // Collapse a scope before opening the next so its rows are drawn.
      await setExpanded('Registers', false);
      await setExpanded('Virtual CPU', true);
      await variables.locator('.monaco-list-row').filter({ hasText: /^\s*vif\b/ }).first().waitFor({ timeout: 15_000 });
      assert.match(await variables.innerText(), /vcr3\s*=\s*0x00000000/);
      await setExpanded('Virtual CPU', false);
      await setExpanded('Guest vs hardware', true);
      await variables.locator('.monaco-list-row').filter({ hasText: /^\s*CR3\b/ }).first().waitFor({ timeout: 15_000 });
      const text = await variables.innerText();
      assert.match(text, /CR3\s*=\s*guest 0x00000000 \| hardware 0x[0-9a-f]{8}/i);
      assert.match(text, /CPL\s*=\s*guest 0 \| hardware 1/);
      await page.locator('.statusbar-item').filter({ hasText: /CPL \d\/\d/ }).first().waitFor({ timeout: 15_000 });
      await screenshot(page, '04-breakpoint-variables');
      await page.keyboard.press('F11'); // step into: mov cr3 traps to the VMM under trap-and-emulate
      await stack.filter({ hasText: /VMM trap: mov cr3, eax/ }).first().waitFor({ timeout: 30_000 });
      await page.locator('.tabs-container .tab').filter({ hasText: /vmm-trap-/ }).first().waitFor({ timeout: 15_000 });
      await screenshot(page, '05-step-into-trap');
      await runCommand(page, 'RingLab: Show Rings View');
      const inner = page.frameLocator('iframe.webview').first().frameLocator('iframe').first();
      await inner.locator('.box.here').first().waitFor({ timeout: 30_000 });
      await screenshot(page, '06-rings-in-vmm');
      await runCommand(page, 'Debug: Stop');
    });
  });
});
