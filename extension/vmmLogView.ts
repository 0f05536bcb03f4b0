// The VMM Log view: traps, VM exits, hypercalls and holes of the session, newest first; an
// entry opens the VMM listing the adapter names for it (or the guest line).

import * as vscode from 'vscode';
import { StateTreeView } from './stateTreeView';
import { hex32, type VmmEvent } from './protocol';

const ICON: Record<string, string> = {
  trap: 'debug-stackframe', vmexit: 'debug-step-out', hypercall: 'call-outgoing', hole: 'warning',
  translation: 'symbol-event', callout: 'call-outgoing', upcall: 'bell', worldSwitch: 'arrow-swap', exception: 'error',
};

export class VmmLogView extends StateTreeView<VmmEvent> {
  getChildren(element?: VmmEvent): VmmEvent[] {
    return element === undefined ? [...this.state.events].reverse() : [];
  }

  getTreeItem(e: VmmEvent): vscode.TreeItem {
    const what = e.kind === 'vmexit' ? `VM exit ${e.exitReason ?? ''} ${e.exitReasonName ?? ''}`.trim()
      : e.kind === 'hypercall' ? `hypercall ${e.hypercall ?? ''} ${e.hypercallName ?? ''}`.trim() : e.kind;
    const item = new vscode.TreeItem(`${what}: ${e.instruction ?? ''}`.trim());
    item.description = hex32(e.eip);
    item.tooltip = `${e.detail}${e.qualification !== undefined ? `\nqualification ${hex32(e.qualification)}` : ''}${e.instructions !== undefined ? `\nafter ${e.instructions} instructions` : ''}`;
    item.iconPath = new vscode.ThemeIcon(ICON[e.kind] ?? 'circle-small');
    const uri = this.listingUri(e);
    if (uri !== undefined) {
      const line = Math.max(0, (e.line ?? 1) - 1);
      item.command = { command: 'vscode.open', title: 'Open VMM listing', arguments: [uri, { selection: new vscode.Range(line, 0, line, 0), preview: true }] };
    }
    return item;
  }

  /** A path opens as a file; a sourceReference through VS Code's debug: scheme (the adapter serves it). */
  private listingUri(e: VmmEvent): vscode.Uri | undefined {
    const src = e.source;
    const session = this.state.session?.session;
    if (src === undefined) return undefined;
    if (src.sourceReference !== undefined && src.sourceReference > 0 && session !== undefined) {
      const name = encodeURIComponent(src.name ?? 'vmm-listing');
      return vscode.Uri.parse(`debug:${name}?session=${encodeURIComponent(session.id)}&ref=${src.sourceReference}`);
    }
    return src.path !== undefined ? vscode.Uri.file(src.path) : undefined;
  }
}
