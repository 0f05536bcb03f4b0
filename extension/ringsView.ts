// The Rings view (a webview in the RingLab container): the lecture's ring diagram for the
// session's mode and hypervisor type, where the CPU is and the VIF; without a session, the
// diagram of the default mode. Drawn by ringsDiagram.ts.

import * as vscode from 'vscode';
import { parseMode } from '../core/run/modes';
import type { DebugState } from './debugState';
import { ringsHtml } from './ringsDiagram';

export const RINGS_VIEW_ID = 'ringlab.rings';

export class RingsView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: DebugState) {
    this.subscription = vscode.Disposable.from(
      state.onDidChange(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('ringlab.debug')) this.render(); }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: false };
    view.onDidDispose(() => { this.view = undefined; });
    this.render();
  }

  private render(): void {
    const view = this.view;
    if (view === undefined) return;
    const s = this.state.session;
    if (s !== undefined) {
      const message = this.state.isStopped
        ? (this.state.state === undefined ? this.state.missingState ?? 'Waiting for the adapter\'s state.' : undefined)
        : 'Running: the diagram shows where the CPU is when the guest stops.';
      view.webview.html = ringsHtml({ mode: s.mode, hypervisor: s.hypervisor, ...(this.state.isStopped && this.state.state ? { state: this.state.state } : {}), ...(message ? { message } : {}) }, view.webview.cspSource);
      view.description = s.mode;
      return;
    }
    const settings = vscode.workspace.getConfiguration('ringlab');
    const mode = parseMode(settings.get<string>('debug.defaultMode', 'trap-and-emulate')) ?? 'trap-and-emulate';
    const hv = settings.get<string>('debug.defaultHypervisor', 'type1') === 'type2' ? 'type2' : 'type1';
    view.webview.html = ringsHtml({ mode, hypervisor: mode === 'native' ? null : hv, message: 'No RingLab debug session: this is the default mode. Start debugging a guest to see where the CPU is.' }, view.webview.cspSource);
    view.description = `${mode} (default)`;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
