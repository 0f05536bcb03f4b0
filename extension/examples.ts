// "RingLab: Open Example": the guest programs shipped with the extension (examples/ in the
// package). A workspace copy wins, so edits land in the user's folder when they have one.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const DESCRIPTIONS: Record<string, string> = {
  'hello.gasm': 'the smallest guest: COM1 output and the exit port',
  'kernel.gasm': 'GDT, IDT, paging and a user task',
  'exceptions.gasm': 'exceptions delivered through the IDT',
  'trap-holes.gasm': 'the instructions that defeat trap-and-emulate',
};

export function exampleFiles(context: vscode.ExtensionContext): string[] {
  const dir = path.join(context.extensionPath, 'examples');
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.gasm')).sort();
  } catch {
    return [];
  }
}

function locate(context: vscode.ExtensionContext, name: string): vscode.Uri {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const candidate = path.join(folder.uri.fsPath, 'examples', name);
    if (fs.existsSync(candidate)) return vscode.Uri.file(candidate);
  }
  return vscode.Uri.file(path.join(context.extensionPath, 'examples', name));
}

export async function openExample(context: vscode.ExtensionContext, name?: string): Promise<vscode.TextEditor | undefined> {
  let pick = name;
  if (pick === undefined) {
    const items = exampleFiles(context).map((label) => ({ label, description: DESCRIPTIONS[label] ?? '' }));
    pick = (await vscode.window.showQuickPick(items, { title: 'RingLab: open an example guest' }))?.label;
  }
  if (pick === undefined) return undefined;
  const doc = await vscode.workspace.openTextDocument(locate(context, path.basename(pick)));
  return vscode.window.showTextDocument(doc);
}
