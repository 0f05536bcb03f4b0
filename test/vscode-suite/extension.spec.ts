// The extension's own API, inside a real VS Code's extension host (run by index.ts through
// @vscode/test-electron; here in code-server via ./launcher): activation on a .gasm file, the
// debug configuration provider, the commands, and a debug session started with
// vscode.debug.startDebugging that stops, answers ringlab/state and terminates.
// The workspace is a copy of examples/ (runTests.ts).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RingLabApi } from '../../extension/activate';
import type { RingLabState } from '../../extension/protocol';

const EXTENSION_ID = 'ringlab.ringlab';

function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f !== undefined, 'the suite runs with a workspace folder (a copy of examples/)');
  return f;
}

function example(name: string): string {
  return path.join(folder().uri.fsPath, 'examples', name);
}

/** Resolves with the first value `event` fires that `accept` takes, or rejects after `ms`. */
function next<T>(event: vscode.Event<T>, accept: (value: T) => boolean, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${ms} ms waiting for ${what}`)); }, ms);
    const sub = event((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

async function stopAll(): Promise<void> {
  if (vscode.debug.activeDebugSession === undefined) return;
  const ended = next(vscode.debug.onDidTerminateDebugSession, () => vscode.debug.activeDebugSession === undefined, 20_000, 'the sessions to end').catch(() => undefined);
  await vscode.debug.stopDebugging();
  await ended;
}

describe('RingLab in VS Code (extension host)', function () {
  this.timeout(120_000);

  afterEach(async () => {
    await stopAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates with a workspace that holds .gasm files, before one is opened, and returns its API (the language client running)', async () => {
    const ext = vscode.extensions.getExtension<RingLabApi>(EXTENSION_ID);
    assert.ok(ext !== undefined, `${EXTENSION_ID} is loaded from the development path`);
    // No editor is open yet: workspaceContains starts the language server (and its warm-up)
    // before the user opens a file, so a big file opened later meets a warm server.
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.languageId === 'guest-asm').length, 0, 'no guest-asm document is open yet');
    const end = Date.now() + 60_000;
    while (!ext.isActive && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    assert.ok(ext.isActive, 'activated by workspaceContains:**/*.gasm');
    const doc = await vscode.workspace.openTextDocument(example('hello.gasm'));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'guest-asm');
    const api = ext.exports;
    assert.ok(api.client !== undefined, 'the language client started');
    assert.ok(api.debugState !== undefined && api.statusBar !== undefined);
  });

  it('registers every ringlab.* command of package.json', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[] };
    };
    const declared = manifest.contributes.commands.map((c) => c.command);
    assert.ok(declared.length >= 5);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), []);
  });

  it('"RingLab: Open Example" opens the named example (the workspace copy)', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('ringlab.openExample', 'trap-holes.gasm');
    assert.ok(editor !== undefined);
    assert.equal(path.basename(editor.document.uri.fsPath), 'trap-holes.gasm');
    assert.equal(editor.document.uri.fsPath, example('trap-holes.gasm'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, example('trap-holes.gasm'));
    assert.equal(editor.document.languageId, 'guest-asm');
  });

  it('F5 with no launch.json debugs the open .gasm with a ringlab configuration (the default mode)', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(example('hello.gasm')));
    const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === 'ringlab', 60_000, 'a ringlab session');
    await vscode.commands.executeCommand('workbench.action.debug.start');
    const session = await started;
    assert.equal(session.configuration['request'], 'launch');
    assert.equal(session.configuration['program'], example('hello.gasm'));
    assert.equal(session.configuration['mode'], 'trap-and-emulate');
    assert.equal(session.configuration['hypervisor'], 'type1');
    assert.equal(session.configuration['stopOnEntry'], true);
  });

  it('refuses a configuration with a bad field (no session starts)', async () => {
    let sessions = 0;
    const sub = vscode.debug.onDidStartDebugSession(() => { sessions++; });
    try {
      const ok = await vscode.debug.startDebugging(folder(), { type: 'ringlab', request: 'launch', name: 'bad mode', program: example('hello.gasm'), mode: 'warp-drive' });
      assert.equal(ok, false);
      const ok2 = await vscode.debug.startDebugging(folder(), { type: 'ringlab', request: 'launch', name: 'bad memory', program: example('hello.gasm'), memory: 'lots' });
      assert.equal(ok2, false);
    } finally {
      sub.dispose();
    }
    assert.equal(sessions, 0);
    // test/extension/vscodeSuite.test.ts checks that a failure here fails the run (never a silent pass).
    if (process.env['RINGLAB_SUITE_FAIL'] === '1') assert.fail('deliberate failure (RINGLAB_SUITE_FAIL=1)');
  });

  it('startDebugging runs hello.gasm under trap: it stops on entry, answers ringlab/state, and terminates', async () => {
    const seen: string[] = [];
    let onStopped: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => { onStopped = resolve; });
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('ringlab', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type?: string; event?: string }) => {
          if (m.type === 'event' && m.event !== undefined) seen.push(m.event);
          if (m.type === 'event' && m.event === 'stopped') onStopped();
        },
      }),
    });
    try {
      const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === 'ringlab', 60_000, 'the session');
      const ok = await vscode.debug.startDebugging(folder(), {
        type: 'ringlab', request: 'launch', name: 'hello (trap)', program: example('hello.gasm'), mode: 'trap', stopOnEntry: true,
      });
      assert.equal(ok, true);
      const session = await started;
      await Promise.race([stopped, new Promise((_, reject) => setTimeout(() => reject(new Error(`no 'stopped' event; events: ${seen.join(', ')}`)), 60_000))]);
      const state = (await session.customRequest('ringlab/state')) as RingLabState;
      assert.equal(state.mode, 'trap-and-emulate');
      assert.equal(state.hypervisor, 'type1');
      assert.equal(typeof state.guest.cpl, 'number');
      const ended = next(vscode.debug.onDidTerminateDebugSession, (s) => s.id === session.id, 30_000, 'the session to terminate');
      await vscode.debug.stopDebugging(session);
      await ended;
      assert.ok(seen.includes('stopped'), seen.join(', '));
    } finally {
      tracker.dispose();
    }
  });
});
