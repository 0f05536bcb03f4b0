// Driving the VS Code workbench in Chromium like a user: the command palette, quick open, the
// Problems panel, screenshots. Selectors are VS Code's own (stable across 1.9x).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from './codeServer';

/** Where screenshots go: docs/screenshots with RINGLAB_UPDATE_SCREENSHOTS=1 (for the README), else out/. */
export const SCREENSHOTS = process.env['RINGLAB_UPDATE_SCREENSHOTS'] === '1'
  ? path.join(ROOT, 'docs', 'screenshots')
  : path.join(ROOT, 'out', 'e2e-screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer has the folder once the remote file system is up.
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
}

/** Runs a command from the palette by its title, as a user types it. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' }).catch(() => undefined);
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
  await page.locator(`.tabs-container .tab[aria-label*="${name}"]`).first().waitFor({ timeout: 20_000 });
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** The Problems panel, opened. */
export async function problems(page: Page): Promise<Locator> {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)').catch(async () => {
    await page.keyboard.press('Control+Shift+M');
  });
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ timeout: 20_000 });
  return panel;
}

/** Moves the editor cursor to a 1-based line (Go to Line). */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
}
