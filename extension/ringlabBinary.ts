// Where the `ringlab` command the extension runs lives: the bundle shipped in dist/ (or the
// `ringlab.server.path` setting, for developing RingLab itself), and how to start it with Node.

import * as path from 'node:path';
import * as vscode from 'vscode';

export interface NodeCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** In desktop VS Code process.execPath is Electron: this makes it behave as Node. */
  readonly env: Record<string, string>;
}

/** Absolute path of ringlab.js. */
export function ringlabScript(context: vscode.ExtensionContext): string {
  const configured = vscode.workspace.getConfiguration('ringlab').get<string>('server.path', '').trim();
  return configured !== '' ? configured : path.join(context.extensionPath, 'dist', 'ringlab.js');
}

/** `node ringlab.js ARGS...` with the extension host's own Node (no Node needed on PATH). */
export function ringlabCommand(context: vscode.ExtensionContext, ...args: string[]): NodeCommand {
  return { command: process.execPath, args: [ringlabScript(context), ...args], env: { ELECTRON_RUN_AS_NODE: '1' } };
}
