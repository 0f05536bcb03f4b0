// Runs the debug adapter as a child process, `node dist/ringlab.js dap` (ARCHITECTURE.md,
// extension/: why not inline). A launch configuration's `debugServer` port still wins (VS Code
// connects to a running `ringlab dap --server=PORT` itself, for developing the adapter).

import * as vscode from 'vscode';
import { ringlabCommand } from './ringlabBinary';

export class RingLabAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly context: vscode.ExtensionContext) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const port = session.configuration['debugServer'];
    if (typeof port === 'number') return new vscode.DebugAdapterServer(port);
    const { command, args, env } = ringlabCommand(this.context, 'dap');
    return new vscode.DebugAdapterExecutable(command, [...args], { env });
  }
}
