// The status bar item while a RingLab session runs: mode, guest and hardware CPL, and the VIF.
// Clicking it opens the Rings view.

import * as vscode from 'vscode';
import type { DebugState } from './debugState';

const SHORT: Record<string, string> = {
  native: 'native', 'trap-and-emulate': 'trap', 'binary-translation': 'bt', paravirtual: 'pv', 'hardware-assisted': 'hw',
};

export class RingLabStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ringlab.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: DebugState) {
    this.item.name = 'RingLab';
    this.item.command = 'ringlab.showRings';
    this.subscription = state.onDidChange(() => this.update());
    this.update();
  }

  /** The text shown, for tests and the E2E screenshot. */
  get text(): string { return this.item.text; }

  private update(): void {
    const s = this.state.session;
    if (s === undefined) { this.item.hide(); return; }
    const mode = `${SHORT[s.mode] ?? s.mode}${s.hypervisor === 'type2' ? ' (type 2)' : ''}`;
    const st = this.state.isStopped ? this.state.state : undefined;
    if (st === undefined) {
      this.item.text = `$(circuit-board) ${mode}`;
      this.item.tooltip = `RingLab: ${s.mode}${this.state.isStopped ? '' : ', running'}`;
    } else {
      const vif = s.mode === 'native' ? `IF ${st.hardware.if ? 1 : 0}` : `VIF ${st.guest.if ? 1 : 0}`;
      this.item.text = `$(circuit-board) ${mode} · CPL ${st.guest.cpl}/${st.hardware.cpl} · ${vif}`;
      this.item.tooltip = new vscode.MarkdownString(
        `**RingLab** ${s.mode}${s.hypervisor ? `, ${s.hypervisor}` : ''}\n\n` +
        `guest CPL ${st.guest.cpl} · hardware CPL ${st.hardware.cpl}${st.vmxRoot !== undefined ? ` (${st.vmxRoot ? 'root' : 'non-root'})` : ''}\n\n` +
        `guest IF (VIF) ${st.guest.if ? 1 : 0} · hardware IF ${st.hardware.if ? 1 : 0}\n\nClick for the Rings view.`);
    }
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
