// Diagnostics through a real LSP client over stdio, on one file that holds every assembler form
// of the instruction table (test/oracle/corpus.ts): each line gets exactly the codes DESIGN's
// table gives its privilege class, over the instruction's text, with the severity of the mode
// (the `ringlab.lint.mode` setting, changed through didChangeConfiguration, and the directive).

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { FORMS, type PrivilegeClass } from '../../core/isa';
import { generateCorpus } from '../oracle/corpus';
import { LspClient, ROOT } from './lspClient';

/** DESIGN, "Diagnostics": the codes of each class (I/O needs CPL <= IOPL too, so it is RL201 as well). */
const CODES: Readonly<Record<PrivilegeClass, readonly string[]>> = {
  unprivileged: [], privileged: ['RL201'], iopl: ['RL201'], io: ['RL201', 'RL203'], sensitive: ['RL202'],
};
const I = DiagnosticSeverity.Information;
const W = DiagnosticSeverity.Warning;
const E = DiagnosticSeverity.Error;
/** DESIGN's severity table, per mode. */
const SEVERITY: Readonly<Record<string, Readonly<Record<string, DiagnosticSeverity>>>> = {
  'trap-and-emulate': { RL201: I, RL202: W, RL203: I },
  'binary-translation': { RL201: I, RL202: I, RL203: I },
  paravirtual: { RL201: E, RL202: W, RL203: I },
  'hardware-assisted': { RL201: I, RL202: I, RL203: I },
};

const INDENT = '    ';
const HEADER = ['bits 32', 'org 0x100000', '_start:'];
const corpus = generateCorpus();
const text = [...HEADER, ...corpus.map((c) => INDENT + c.text)].join('\n') + '\n';
const lineOf = (k: number): number => HEADER.length + k; // 0-based LSP line of corpus entry k

function byLine(ds: readonly Diagnostic[]): Map<number, Diagnostic[]> {
  const m = new Map<number, Diagnostic[]>();
  for (const d of ds) m.set(d.range.start.line, [...(m.get(d.range.start.line) ?? []), d]);
  return m;
}

function checkMode(ds: readonly Diagnostic[], mode: string): number {
  assert.deepEqual(ds.filter((d) => !/^RL2\d\d$/.test(String(d.code))), [], 'the corpus assembles without RL1xx');
  const lines = byLine(ds);
  let checked = 0;
  corpus.forEach((c, k) => {
    const form = FORMS[c.formId]!;
    const got = lines.get(lineOf(k)) ?? [];
    const want = mode === 'native' ? [] : [...CODES[form.privilege]];
    assert.deepEqual(got.map((d) => d.code).sort(), want.sort(), `line ${lineOf(k) + 1} '${c.text}' (${form.source}, ${form.privilege}) under ${mode}`);
    for (const d of got) {
      assert.deepEqual(d.range, { start: { line: lineOf(k), character: INDENT.length }, end: { line: lineOf(k), character: INDENT.length + c.text.length } }, `range of '${c.text}'`);
      assert.equal(d.severity, SEVERITY[mode]![String(d.code)], `severity of ${d.code} on '${c.text}' under ${mode}`);
      assert.equal(d.source, 'ringlab');
      checked++;
    }
  });
  assert.equal(ds.length, checked, 'no diagnostic outside the corpus lines');
  return checked;
}

describe('lsp: diagnostics on every form of the instruction table (stdio client)', function () {
  this.timeout(120_000);
  let client: LspClient;
  const file = path.join(ROOT, 'test', 'lsp', 'every-form.gasm');
  let uri: string;

  before(async () => {
    client = new LspClient();
    await client.initialize();
    uri = await client.open(file, text);
  });
  after(async () => { await client.close(); });

  it('the file covers every flagged form of the table', () => {
    const covered = new Set(corpus.map((c) => c.formId));
    assert.deepEqual(FORMS.filter((f) => !f.decodeOnly && f.privilege !== 'unprivileged' && !covered.has(f.id)).map((f) => f.source), []);
  });

  it('trap-and-emulate (the setting): each line exactly its class codes, over the instruction text', async () => {
    const n = checkMode(await client.diagnostics(uri), 'trap-and-emulate');
    assert.ok(n >= FORMS.filter((f) => f.privilege !== 'unprivileged' && !f.decodeOnly).length, `${n} diagnostics`);
  });

  for (const mode of ['binary-translation', 'paravirtual', 'hardware-assisted', 'native']) {
    it(`${mode} (setting changed by didChangeConfiguration): severities of DESIGN's table`, async () => {
      const since = client.publishedCount;
      await client.setMode(mode);
      checkMode(await client.diagnostics(uri, { since }), mode);
    });
  }

  it('a first-line mode directive wins over the setting', async () => {
    await client.setMode('hw');
    const since = client.publishedCount;
    await client.change(uri, 2, [0, 0], [0, 0], '; ringlab: mode=pv\n');
    const ds = await client.diagnostics(uri, { version: 2, since });
    const shifted = ds.map((d) => ({ ...d, range: { start: { ...d.range.start, line: d.range.start.line - 1 }, end: { ...d.range.end, line: d.range.end.line - 1 } } }));
    checkMode(shifted, 'paravirtual');
    assert.ok(ds.some((d) => d.code === 'RL201' && /instead: .*hypercall|upcall_mask/.test(d.message)), 'pv messages name the replacement');
  });
});
