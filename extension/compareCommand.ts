// "RingLab: Compare Virtualization Modes": runs `ringlab compare --json` on the current guest as
// a child process (the five runs take seconds and must not block the extension host) under a
// cancellable progress notification, then charts the counts and cycles (compareChart.ts).

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compareHtml, parseCompareJson, type CompareJson } from './compareChart';
import { ringlabCommand } from './ringlabBinary';

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string }

function runCompare(context: vscode.ExtensionContext, file: string, hypervisor: string, token: vscode.CancellationToken): Promise<Run> {
  const { command, args, env } = ringlabCommand(context, 'compare', file, '--json', '--hypervisor', hypervisor);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: path.dirname(file), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const cancel = token.onCancellationRequested(() => child.kill());
    child.on('error', (e) => { cancel.dispose(); resolve({ status: null, stdout, stderr: stderr + e.message }); });
    child.on('close', (status) => { cancel.dispose(); resolve({ status, stdout, stderr }); });
  });
}

/** The comparison panel, reused between runs. */
let panel: vscode.WebviewPanel | undefined;

function show(result: CompareJson): vscode.WebviewPanel {
  if (panel === undefined) {
    panel = vscode.window.createWebviewPanel('ringlab.compare', 'Compare virtualization modes', vscode.ViewColumn.Beside, { enableScripts: false });
    panel.onDidDispose(() => { panel = undefined; });
  }
  panel.title = `Compare: ${path.basename(result.file)}`;
  panel.webview.html = compareHtml(result, panel.webview.cspSource);
  panel.reveal(undefined, true);
  return panel;
}

/** Runs the comparison for `uri` (default: the active guest file); resolves to the result or undefined. */
export async function compareModes(context: vscode.ExtensionContext, uri?: vscode.Uri): Promise<CompareJson | undefined> {
  const doc = uri !== undefined ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (doc === undefined || doc.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('RingLab: open a guest (.gasm) file to compare the modes.');
    return undefined;
  }
  if (doc.isDirty) await doc.save();
  const hypervisor = vscode.workspace.getConfiguration('ringlab', doc.uri).get<string>('debug.defaultHypervisor', 'type1');
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `RingLab: running ${path.basename(doc.uri.fsPath)} under every mode`, cancellable: true },
    (progress, token) => {
      progress.report({ message: 'native, trap-and-emulate, binary-translation, paravirtual, hardware-assisted…' });
      return runCompare(context, doc.uri.fsPath, hypervisor, token);
    },
  );
  if (run.status === null && run.stdout === '') {
    void vscode.window.showErrorMessage(`RingLab: ringlab compare did not run: ${run.stderr.trim() || 'cancelled'}`);
    return undefined;
  }
  const parsed = parseCompareJson(run.stdout);
  if ('error' in parsed) {
    void vscode.window.showErrorMessage(`RingLab: ${run.stderr.trim().split('\n').slice(0, 3).join(' ') || parsed.error}`);
    return undefined;
  }
  show(parsed);
  return parsed;
}
