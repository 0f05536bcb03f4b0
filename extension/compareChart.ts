// The comparison view's document: `ringlab compare --json` as bar charts (simulated cycles,
// modelled; VMM events, measured) and a table of counts. No vscode import: tests render it.

export interface CompareStats {
  readonly instructions: number;
  readonly traps: number;
  readonly translations: number;
  readonly hypercalls: number;
  readonly vmExits: Readonly<Record<string, number>>;
  readonly simulatedCycles: number;
  readonly wallMs?: number;
  readonly mips?: number;
}

export interface CompareModeRow {
  readonly mode: string;
  readonly available: boolean;
  readonly exit: { readonly reason: string; readonly code: number; readonly detail?: string } | null;
  readonly consoleEqualsNative: boolean | null;
  readonly stats: CompareStats | null;
  readonly holes: readonly { readonly eip: number; readonly instruction: string }[];
  readonly verdict?: string;
  readonly cyclesRatio?: number | null;
  readonly note?: string;
}

export interface CompareJson {
  readonly file: string;
  readonly hypervisor: string;
  readonly status?: number;
  readonly modes: readonly CompareModeRow[];
}

/** Parses the command's stdout; a message (never a throw) when it is not a comparison. */
export function parseCompareJson(text: string): CompareJson | { error: string } {
  try {
    const v = JSON.parse(text) as Partial<CompareJson>;
    if (typeof v !== 'object' || v === null || !Array.isArray(v.modes)) return { error: 'ringlab compare --json printed no modes' };
    return v as CompareJson;
  } catch (e) {
    return { error: `ringlab compare --json printed no JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const group = (n: number): string => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const vmExitTotal = (s: CompareStats): number => Object.values(s.vmExits).reduce((a, b) => a + b, 0);

const SERIES = [
  { key: 'traps', label: 'traps', color: 'var(--vscode-charts-orange, #d18616)', value: (s: CompareStats) => s.traps },
  { key: 'translations', label: 'translations', color: 'var(--vscode-charts-blue, #3794ff)', value: (s: CompareStats) => s.translations },
  { key: 'hypercalls', label: 'hypercalls', color: 'var(--vscode-charts-purple, #b180d7)', value: (s: CompareStats) => s.hypercalls },
  { key: 'vmExits', label: 'VM exits', color: 'var(--vscode-charts-red, #f14c4c)', value: vmExitTotal },
] as const;

const BAR_LEFT = 150;
const BAR_W = 360;
const BAR_H = 22;

/** Rows whose run says something about the mode (not a guest the mode refused, such as a
 *  non-PV guest under pv: its few instructions before the refusal would read as "cheap"). */
function charted(rows: readonly CompareModeRow[]): CompareModeRow[] {
  return rows.filter((r) => r.stats !== null && r.verdict !== 'needs-pv-port');
}

function cyclesChart(rows: readonly CompareModeRow[]): string {
  const ran = charted(rows);
  const max = Math.max(1, ...ran.map((r) => r.stats!.simulatedCycles));
  const bars = ran.map((r, i) => {
    const y = i * (BAR_H + 6);
    const w = Math.max(1, (r.stats!.simulatedCycles / max) * BAR_W);
    const ratio = r.cyclesRatio !== undefined && r.cyclesRatio !== null ? ` (${r.cyclesRatio.toFixed(2)}x native)` : '';
    return `<text x="0" y="${y + 15}">${esc(r.mode)}</text><rect class="cycles" data-mode="${esc(r.mode)}" x="${BAR_LEFT}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}"/>` +
      `<text x="${BAR_LEFT + w + 6}" y="${y + 15}">${group(r.stats!.simulatedCycles)}${ratio}</text>`;
  });
  return `<svg class="chart" viewBox="0 0 720 ${ran.length * (BAR_H + 6)}" width="100%" style="max-width:720px">${bars.join('')}</svg>`;
}

function eventsChart(rows: readonly CompareModeRow[]): string {
  const ran = charted(rows);
  const total = (s: CompareStats): number => SERIES.reduce((n, k) => n + k.value(s), 0);
  const max = Math.max(1, ...ran.map((r) => total(r.stats!)));
  const bars = ran.map((r, i) => {
    const y = i * (BAR_H + 6);
    let x = BAR_LEFT;
    const segs = SERIES.map((k) => {
      const v = k.value(r.stats!);
      const w = (v / max) * BAR_W;
      const seg = v > 0 ? `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(1, w).toFixed(1)}" height="${BAR_H}" fill="${k.color}"><title>${k.label}: ${group(v)}</title></rect>` : '';
      x += v > 0 ? Math.max(1, w) : 0;
      return seg;
    });
    return `<text x="0" y="${y + 15}">${esc(r.mode)}</text>${segs.join('')}<text x="${x + 6}" y="${y + 15}">${group(total(r.stats!))}</text>`;
  });
  const legend = SERIES.map((k) => `<span class="key"><span class="swatch" style="background:${k.color}"></span>${k.label}</span>`).join(' ');
  return `<div class="legend">${legend}</div><svg class="chart" viewBox="0 0 720 ${ran.length * (BAR_H + 6)}" width="100%" style="max-width:720px">${bars.join('')}</svg>`;
}

function verdictText(r: CompareModeRow): string {
  if (r.note) return r.note;
  if (r.verdict === 'reference') return 'reference';
  if (r.consoleEqualsNative === true) return 'same output as native';
  if (r.consoleEqualsNative === false) return `differs from native${r.holes.length > 0 ? ` (${r.holes.length} holes)` : ''}`;
  return r.verdict ?? '';
}

function countsTable(rows: readonly CompareModeRow[]): string {
  const head = ['mode', 'exit', 'console', 'instructions', 'traps', 'translations', 'hypercalls', 'VM exits', 'holes', 'sim. cycles'];
  const body = rows.map((r) => {
    const s = r.stats;
    const cells = s === null
      ? [r.mode, r.exit ? `${r.exit.reason} ${r.exit.code}` : '-', verdictText(r), '', '', '', '', '', '', '']
      : [r.mode, r.exit ? `${r.exit.reason} ${r.exit.code}` : '-', verdictText(r), group(s.instructions), group(s.traps), group(s.translations), group(s.hypercalls), group(vmExitTotal(s)), String(r.holes.length), group(s.simulatedCycles)];
    return `<tr data-mode="${esc(r.mode)}">${cells.map((c, i) => `<td class="${i >= 3 ? 'num' : ''}">${esc(c)}</td>`).join('')}</tr>`;
  });
  return `<table class="counts"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

export function compareHtml(c: CompareJson, cspSource: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">
<title>Compare virtualization modes</title>
<style>
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 8px 16px; }
svg text { fill: var(--vscode-foreground); font-size: 12px; }
rect.cycles { fill: var(--vscode-charts-green, #89d185); }
table.counts { border-collapse: collapse; margin-top: 8px; }
table.counts th, table.counts td { padding: 3px 10px; border-bottom: 1px solid var(--vscode-panel-border, #8884); text-align: left; }
table.counts td.num { text-align: right; font-family: var(--vscode-editor-font-family); }
.legend .key { margin-right: 12px; } .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.note { opacity: 0.8; }
</style></head><body>
<h2>${esc(c.file)} <small>(hypervisor ${esc(c.hypervisor)})</small></h2>
<h3>Simulated cycles <small>(modelled: counts × the cost model's constants)</small></h3>
${cyclesChart(c.modes)}
<h3>VMM events <small>(measured: counted by the emulator)</small></h3>
${eventsChart(c.modes)}
<h3>Counts</h3>
${countsTable(c.modes)}
<p class="note">Counts are measured; cycles are modelled from constants with published sources (<code>ringlab compare --costs</code> lists them).</p>
</body></html>`;
}
