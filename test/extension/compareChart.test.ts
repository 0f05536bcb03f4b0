// The comparison view's document from `ringlab compare --json`: bars for every mode that ran,
// counts in a table, measured and modelled said apart; bad output is a message, not a throw.

import * as assert from 'node:assert/strict';
import { compareHtml, parseCompareJson, type CompareJson } from '../../extension/compareChart';

const stats = (instructions: number, traps: number, cycles: number, vmExits: Record<string, number> = {}) =>
  ({ instructions, traps, translations: 0, hypercalls: 0, vmExits, simulatedCycles: cycles, wallMs: 1, mips: 1 });

const SAMPLE: CompareJson = {
  file: 'examples/kernel.gasm', hypervisor: 'type1', status: 0,
  modes: [
    { mode: 'native', available: true, exit: { reason: 'exit', code: 1 }, consoleEqualsNative: null, stats: stats(1000, 0, 1000), holes: [], verdict: 'reference', cyclesRatio: 1 },
    { mode: 'trap-and-emulate', available: true, exit: { reason: 'exit', code: 1 }, consoleEqualsNative: true, stats: stats(1000, 40, 90000), holes: [], verdict: 'equal', cyclesRatio: 90 },
    { mode: 'hardware-assisted', available: true, exit: { reason: 'exit', code: 1 }, consoleEqualsNative: true, stats: stats(1000, 0, 30000, { HLT: 1, IO_INSTRUCTION: 30 }), holes: [], verdict: 'equal', cyclesRatio: 30 },
    // As `ringlab compare --json` gives it: the refused run's few instructions are counted.
    { mode: 'paravirtual', available: true, exit: { reason: 'guest-error', code: 6 }, consoleEqualsNative: false, stats: stats(12, 0, 895), holes: [], verdict: 'needs-pv-port', note: 'cannot run (needs a PV port)' },
  ],
};

describe('extension: compare chart', () => {
  it('draws one cycles bar per mode that ran it (not for a guest pv refused), longest for the most cycles', () => {
    const html = compareHtml(SAMPLE, 'vscode-resource:');
    const widths = [...html.matchAll(/class="cycles" data-mode="([^"]+)" x="\d+" y="\d+" width="([\d.]+)"/g)].map((m) => [m[1], Number(m[2])] as const);
    assert.deepEqual(widths.map((w) => w[0]), ['native', 'trap-and-emulate', 'hardware-assisted']);
    assert.equal(Math.max(...widths.map((w) => w[1])), widths[1]![1]);
    assert.match(html, /90\.00x native/);
  });

  it('lists counts (VM exits summed) and the rows that did not run with their note', () => {
    const html = compareHtml(SAMPLE, 'vscode-resource:');
    assert.match(html, /<tr data-mode="hardware-assisted">.*<td class="num">31<\/td>/);
    assert.match(html, /<tr data-mode="paravirtual">.*cannot run \(needs a PV port\)/);
    assert.match(html, /measured/);
    assert.match(html, /modelled/);
  });

  it('bad command output is an error value', () => {
    assert.ok('error' in parseCompareJson('ringlab: boom'));
    assert.ok('error' in parseCompareJson('{"file": "x"}'));
    assert.ok(!('error' in parseCompareJson(JSON.stringify(SAMPLE))));
  });
});
