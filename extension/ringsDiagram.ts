// The lecture's ring diagrams as data and SVG: which software runs at which ring under each mode
// and hypervisor type, and where the CPU is now. No vscode import: test/extension renders it.

import { hex32, type CpuOwner, type ModeName, type RingLabState } from './protocol';

export type BoxRole = CpuOwner | 'host-user' | 'unused';

export interface RingBox {
  readonly role: BoxRole;
  readonly label: string;
  readonly note?: string;
}

export interface RingRow {
  /** `ring 3`, `ring 0`, `ring -1`... */
  readonly ring: string;
  /** `hw`: the VMX operation the row belongs to. */
  readonly vmx?: 'root' | 'non-root';
  readonly boxes: readonly RingBox[];
}

const UNUSED: RingBox = { role: 'unused', label: 'unused' };

const KERNEL_NOTE: Record<Exclude<ModeName, 'hardware-assisted'>, string> = {
  native: 'privileged instructions execute',
  'trap-and-emulate': 'deprivileged: privileged instructions trap to the VMM',
  'binary-translation': 'runs from the translation cache',
  paravirtual: 'modified: hypercalls (int 0x82)',
};

const VMM_NOTE: Record<ModeName, string> = {
  native: '',
  'trap-and-emulate': 'emulates trapped instructions on the virtual CPU',
  'binary-translation': 'translator, translation cache, call-out handlers',
  paravirtual: 'hypercall handlers, shared_info',
  'hardware-assisted': 'handles VM exits (VMCS)',
};

/** The rows, top (least privileged) to bottom, for a mode and hypervisor type. */
export function ringLayout(mode: ModeName, hypervisor: 'type1' | 'type2' | null): RingRow[] {
  const hosted = hypervisor === 'type2';
  const apps: RingBox = { role: 'guest-user', label: 'Guest applications' };
  if (mode === 'native') {
    return [
      { ring: 'ring 3', boxes: [apps] },
      { ring: 'ring 2', boxes: [UNUSED] },
      { ring: 'ring 1', boxes: [UNUSED] },
      { ring: 'ring 0', boxes: [{ role: 'guest-kernel', label: 'Kernel', note: KERNEL_NOTE.native }] },
    ];
  }
  const vmm: RingBox = { role: 'vmm', label: hosted ? 'VMM (host kernel module)' : 'VMM', note: VMM_NOTE[mode] };
  const host: RingBox = { role: 'host', label: 'Host OS', note: 'world switch on every trap or exit' };
  const hostUser: RingBox = { role: 'host-user', label: 'Host processes', note: 'device emulation' };
  if (mode === 'hardware-assisted') {
    return [
      { ring: 'ring 3', vmx: 'non-root', boxes: [apps] },
      { ring: 'ring 0', vmx: 'non-root', boxes: [{ role: 'guest-kernel', label: 'Guest kernel', note: 'sees its own ring 0; sensitive instructions exit per the VMCS' }] },
      ...(hosted ? [{ ring: 'ring 3', vmx: 'root' as const, boxes: [hostUser] }] : []),
      { ring: 'ring -1', vmx: 'root', boxes: hosted ? [vmm, host] : [vmm] },
    ];
  }
  return [
    { ring: 'ring 3', boxes: hosted ? [apps, hostUser] : [apps] },
    { ring: 'ring 2', boxes: [UNUSED] },
    { ring: 'ring 1', boxes: [{ role: 'guest-kernel', label: 'Guest kernel', note: KERNEL_NOTE[mode] }] },
    { ring: 'ring 0', boxes: hosted ? [vmm, host] : [vmm] },
  ];
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const ROW_H = 58;
const LEFT = 92;
const WIDTH = 460;

/** The diagram as an SVG element; `state` (when stopped) marks where the CPU is and the VIF. */
export function ringsSvg(mode: ModeName, hypervisor: 'type1' | 'type2' | null, state?: RingLabState): string {
  const rows = ringLayout(mode, hypervisor);
  const parts: string[] = [];
  const height = rows.length * ROW_H + 16;
  rows.forEach((row, i) => {
    const y = 8 + i * ROW_H;
    const rowClass = row.vmx === 'root' ? 'row root' : 'row';
    parts.push(`<rect class="${rowClass}" x="2" y="${y}" width="${WIDTH - 4}" height="${ROW_H - 6}" rx="4"/>`);
    parts.push(`<text class="ring" x="10" y="${y + 22}">${esc(row.ring)}</text>`);
    if (row.vmx) parts.push(`<text class="vmx" x="10" y="${y + 38}">${row.vmx}</text>`);
    const boxW = (WIDTH - LEFT - 8 - (row.boxes.length - 1) * 6) / row.boxes.length;
    row.boxes.forEach((box, j) => {
      const x = LEFT + j * (boxW + 6);
      const here = state !== undefined && box.role === state.owner;
      const cls = `box ${box.role}${here ? ' here' : ''}`;
      parts.push(`<g class="${cls}" data-role="${box.role}"><rect x="${x}" y="${y + 4}" width="${boxW}" height="${ROW_H - 14}" rx="6"/>`);
      parts.push(`<text class="label" x="${x + 8}" y="${y + 22}">${here ? '▶ ' : ''}${esc(box.label)}</text>`);
      if (box.note) parts.push(`<text class="note" x="${x + 8}" y="${y + 38}">${esc(box.note)}</text>`);
      if (box.role === 'guest-kernel' && state !== undefined && mode !== 'native') {
        parts.push(`<text class="vif ${state.guest.if ? 'on' : 'off'}" x="${x + boxW - 8}" y="${y + 22}" text-anchor="end">VIF ${state.guest.if ? 1 : 0}</text>`);
      }
      parts.push('</g>');
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="rings under ${esc(mode)}">${parts.join('')}</svg>`;
}

const MODE_TITLE: Record<ModeName, string> = {
  native: 'Native (no hypervisor)',
  'trap-and-emulate': 'Trap-and-emulate',
  'binary-translation': 'Binary translation',
  paravirtual: 'Paravirtualization',
  'hardware-assisted': 'Hardware-assisted (VT-x)',
};

/** The facts under the diagram: guest and hardware CPL, IF and VIF, CR3s, last event. */
export function stateTable(state: RingLabState): string {
  const row = (name: string, guest: string, hw: string): string => `<tr><th>${esc(name)}</th><td>${esc(guest)}</td><td>${esc(hw)}</td></tr>`;
  const last = state.lastEvent;
  return `<table class="facts"><thead><tr><th></th><th>guest believes</th><th>hardware holds</th></tr></thead><tbody>
${row('CPL', String(state.guest.cpl), String(state.hardware.cpl))}
${row('IF', `${state.guest.if ? 1 : 0} (VIF)`, String(state.hardware.if ? 1 : 0))}
${row('CR3', hex32(state.guest.cr3), hex32(state.hardware.cr3))}
</tbody></table>
<p class="where">EIP ${hex32(state.eip)} · ${esc(ownerText(state))}${state.pendingInterrupts && state.pendingInterrupts.length > 0 ? ` · pending ${state.pendingInterrupts.map((v) => `0x${v.toString(16)}`).join(', ')}` : ''}</p>
${last ? `<p class="last">Last ${esc(last.kind)}: ${esc(last.instruction ?? '')} at ${hex32(last.eip)}: ${esc(last.detail)}</p>` : ''}`;
}

function ownerText(state: RingLabState): string {
  switch (state.owner) {
    case 'guest-user': return 'the CPU runs guest user code';
    case 'guest-kernel': return 'the CPU runs the guest kernel';
    case 'vmm': return state.mode === 'hardware-assisted' ? 'the CPU is in the VMM (root mode)' : 'the CPU is in the VMM';
    case 'host': return 'the CPU is in the host OS (world switch)';
  }
}

/** The whole webview document (no scripts: the host re-renders it on every stop). */
export function ringsHtml(view: { mode: ModeName; hypervisor: 'type1' | 'type2' | null; state?: RingLabState; message?: string }, cspSource: string): string {
  const title = `${MODE_TITLE[view.mode]}${view.hypervisor ? `, ${view.hypervisor === 'type2' ? 'type 2 (hosted)' : 'type 1 (bare metal)'}` : ''}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Rings</title>
<style>
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 4px 8px; }
h3 { margin: 4px 0 6px; font-weight: 600; }
svg text { fill: var(--vscode-foreground); font-size: 11px; }
svg .ring { font-weight: 600; font-size: 12px; }
svg .vmx, svg .note { opacity: 0.75; font-size: 10px; }
svg .row { fill: none; stroke: var(--vscode-panel-border, #8884); }
svg .row.root { fill: var(--vscode-editorWidget-background, #8881); }
svg .box rect { fill: var(--vscode-editor-background); stroke: var(--vscode-foreground); stroke-opacity: 0.5; }
svg .box.unused rect { stroke-dasharray: 4 3; stroke-opacity: 0.3; }
svg .box.unused text { opacity: 0.4; }
svg .box.vmm rect { stroke: var(--vscode-charts-orange, #d18616); }
svg .box.host rect, svg .box.host-user rect { stroke: var(--vscode-charts-purple, #b180d7); }
svg .box.here rect { stroke: var(--vscode-charts-green, #89d185); stroke-width: 3; stroke-opacity: 1; fill: var(--vscode-editor-selectionBackground, #264f78); }
svg .vif.on { fill: var(--vscode-charts-green, #89d185); font-weight: 600; }
svg .vif.off { fill: var(--vscode-charts-red, #f14c4c); font-weight: 600; }
table.facts { border-collapse: collapse; margin-top: 8px; }
table.facts th, table.facts td { text-align: left; padding: 2px 10px 2px 0; }
table.facts td { font-family: var(--vscode-editor-font-family); }
.where, .last, .message { opacity: 0.85; margin: 6px 0; }
</style></head><body>
<h3>${esc(title)}</h3>
${ringsSvg(view.mode, view.hypervisor, view.state)}
${view.state ? stateTable(view.state) : ''}
${view.message ? `<p class="message">${esc(view.message)}</p>` : ''}
</body></html>`;
}
