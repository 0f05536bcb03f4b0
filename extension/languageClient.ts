// Starts the bundled language server exactly as any client would, `ringlab lsp --stdio`
// (language-server/), for guest-asm files; the server pulls `ringlab.*` settings itself with
// workspace/configuration. An Executable with no transport: the client adds no arguments of its
// own, so the server runs with exactly the documented command line.

import * as vscode from 'vscode';
import { LanguageClient, type Executable, type LanguageClientOptions } from 'vscode-languageclient/node';
import { ringlabCommand } from './ringlabBinary';

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const { command, args, env } = ringlabCommand(context, 'lsp', '--stdio');
  const server: Executable = { command, args: [...args], options: { env: { ...process.env, ...env } } };
  const clientOptions: LanguageClientOptions = {
    // Files the user writes, not the read-only sources a debug session generates (the VMM
    // listings and disassembly come as `debug:` documents and are not guest programs).
    documentSelector: ['file', 'untitled', 'vscode-remote'].map((scheme) => ({ language: 'guest-asm', scheme })),
    synchronize: { configurationSection: 'ringlab' },
    outputChannelName: 'RingLab Language Server',
  };
  const client = new LanguageClient('ringlab', 'RingLab Language Server', server, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return client;
}
