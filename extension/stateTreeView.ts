// What the debug-state tree views share: they redraw whenever the session's state changes (a stop,
// a VMM event) and let go of their listeners when disposed. Each view only says what it shows.

import * as vscode from 'vscode';
import type { DebugState } from './debugState';

export abstract class StateTreeView<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(protected readonly state: DebugState) {
    this.subscription = state.onDidChange(() => this.changed.fire());
  }

  refresh(): void { this.changed.fire(); }

  abstract getChildren(element?: T): vscode.ProviderResult<T[]>;
  abstract getTreeItem(element: T): vscode.TreeItem;

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
