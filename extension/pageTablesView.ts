// The Page Tables view: the walk of the current CR3 at a stop (virtual -> physical with flags),
// from the adapter's `ringlab/pageTables`; under a VMM it says whose table it shows.

import * as vscode from 'vscode';
import { StateTreeView } from './stateTreeView';
import { hex32, type PageTableEntry } from './protocol';

type Node = { kind: 'entry'; entry: PageTableEntry } | { kind: 'message'; text: string; icon: string };

export class PageTablesView extends StateTreeView<Node> {
  async getChildren(node?: Node): Promise<Node[]> {
    if (node !== undefined || this.state.session === undefined || !this.state.isStopped) return [];
    const answer = await this.state.pageTables();
    if (typeof answer === 'string') return [{ kind: 'message', text: answer, icon: 'info' }];
    const head: Node = { kind: 'message', text: `CR3 ${hex32(answer.cr3)}${answer.kind ? ` (${answer.kind} page table)` : ''}`, icon: 'symbol-namespace' };
    if (!answer.paging) return [head, { kind: 'message', text: 'Paging is off (CR0.PG = 0): virtual = physical.', icon: 'info' }];
    const rows: Node[] = answer.entries.map((entry) => ({ kind: 'entry', entry }));
    return [head, ...rows, ...(answer.truncated ? [{ kind: 'message' as const, text: '… more entries not shown', icon: 'ellipsis' }] : [])];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      return item;
    }
    const e = node.entry;
    const item = new vscode.TreeItem(`${hex32(e.virt)} → ${hex32(e.phys)}`);
    item.description = `${e.flags}${e.large ? ' 4M' : ''}`;
    return item;
  }
}
