// The Translation Cache view (binary-translation only): each translated block at a stop, with
// its translated code as children, from the adapter's `ringlab/translationCache`.

import * as vscode from 'vscode';
import { StateTreeView } from './stateTreeView';
import { hex32, type TranslationBlock } from './protocol';

type Node = { kind: 'block'; block: TranslationBlock } | { kind: 'line'; text: string } | { kind: 'message'; text: string };

export class TranslationCacheView extends StateTreeView<Node> {
  async getChildren(node?: Node): Promise<Node[]> {
    if (node !== undefined) return node.kind === 'block' ? node.block.listing.map((text) => ({ kind: 'line', text })) : [];
    if (this.state.session === undefined || !this.state.isStopped) return [];
    if (this.state.session.mode !== 'binary-translation') return [{ kind: 'message', text: 'Only binary translation fills a translation cache.' }];
    const answer = await this.state.translationCache();
    if (typeof answer === 'string') return [{ kind: 'message', text: answer }];
    if (answer.blocks.length === 0) return [{ kind: 'message', text: 'The cache is empty.' }];
    return answer.blocks.map((block) => ({ kind: 'block', block }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'block') {
      const b = node.block;
      const item = new vscode.TreeItem(`${hex32(b.guestAddr)}${b.guestEnd !== undefined ? `-${hex32(b.guestEnd)}` : ''}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${b.listing.length} ops${b.executions !== undefined ? `, run ${b.executions}x` : ''}`;
      if (b.guest) item.tooltip = b.guest.join('\n');
      item.iconPath = new vscode.ThemeIcon('symbol-method');
      return item;
    }
    const item = new vscode.TreeItem(node.text);
    if (node.kind === 'message') item.iconPath = new vscode.ThemeIcon('info');
    return item;
  }
}
