// The extension's entry (dist/extension.js): wires the language client, the debug adapter
// factory and configuration provider, the views, the status bar and the commands. It decides
// nothing itself: language-server/, debug-adapter/ and core/ do.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { compareModes } from './compareCommand';
import { RingLabConfigurationProvider, RingLabDynamicConfigurations } from './configurationProvider';
import { RingLabAdapterFactory } from './debugAdapter';
import { DebugState } from './debugState';
import { openExample } from './examples';
import { startLanguageClient } from './languageClient';
import { PageTablesView } from './pageTablesView';
import { RINGS_VIEW_ID, RingsView } from './ringsView';
import { RingLabStatusBar } from './statusBar';
import { TranslationCacheView } from './translationCacheView';
import { VmmLogView } from './vmmLogView';

/** What activate returns: for the extension tests (test/extension), not a public API. */
export interface RingLabApi {
  readonly client: LanguageClient | undefined;
  readonly debugState: DebugState;
  readonly statusBar: RingLabStatusBar;
}

export async function activate(context: vscode.ExtensionContext): Promise<RingLabApi> {
  const debugState = new DebugState();
  const statusBar = new RingLabStatusBar(debugState);
  const rings = new RingsView(debugState);
  const translations = new TranslationCacheView(debugState);
  const pageTables = new PageTablesView(debugState);
  const log = new VmmLogView(debugState);
  const sub = context.subscriptions;
  sub.push(debugState, statusBar, rings, translations, pageTables, log);

  sub.push(
    vscode.debug.registerDebugAdapterDescriptorFactory('ringlab', new RingLabAdapterFactory(context)),
    vscode.debug.registerDebugConfigurationProvider('ringlab', new RingLabConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider('ringlab', new RingLabDynamicConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.window.registerWebviewViewProvider(RINGS_VIEW_ID, rings),
    vscode.window.registerTreeDataProvider('ringlab.vmmLog', log),
    vscode.window.registerTreeDataProvider('ringlab.translationCache', translations),
    vscode.window.registerTreeDataProvider('ringlab.pageTables', pageTables),
    vscode.commands.registerCommand('ringlab.compareModes', (uri?: vscode.Uri) => compareModes(context, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('ringlab.showRings', () => vscode.commands.executeCommand(`${RINGS_VIEW_ID}.focus`)),
    vscode.commands.registerCommand('ringlab.openExample', (name?: string) => openExample(context, typeof name === 'string' ? name : undefined)),
    vscode.commands.registerCommand('ringlab.debugFile', (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (target === undefined) return false;
      return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), { type: 'ringlab', request: 'launch', name: 'Debug guest', program: target.fsPath, stopOnEntry: true });
    }),
    vscode.commands.registerCommand('ringlab.refreshViews', () => { translations.refresh(); pageTables.refresh(); }),
  );

  let client: LanguageClient | undefined;
  try {
    client = await startLanguageClient(context);
  } catch (e) {
    void vscode.window.showErrorMessage(`RingLab: the language server did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { client, debugState, statusBar };
}

export function deactivate(): void {
  // Everything is in context.subscriptions (the language client included).
}
