// Every form of the instruction table, through the committed NASM corpus (one line per form, each
// tagged with its Form.source): a flagged class gets exactly its codes on its line, with a range
// over the instruction text, and every unprivileged line gets none.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FORMS } from '../../../core/isa';
import { CODES_BY_CLASS, lint, type LintDiagnostic } from '../../../core/lint';

const GOLDEN = path.resolve(__dirname, '../../../../test/oracle/golden');
interface CorpusLine { line: number; text: string; form: string }
const corpus = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'corpus.expected.json'), 'utf8')) as CorpusLine[];
const source = fs.readFileSync(path.join(GOLDEN, 'corpus.asm'), 'utf8');
const formBySource = new Map(FORMS.map((f) => [f.source, f]));

function byLine(diagnostics: readonly LintDiagnostic[]): Map<number, LintDiagnostic[]> {
  const m = new Map<number, LintDiagnostic[]>();
  for (const d of diagnostics) m.set(d.line, [...(m.get(d.line) ?? []), d]);
  return m;
}

describe('core/lint over every table form', () => {
  const diagnostics = lint(source, { file: 'corpus.asm', mode: 'trap-and-emulate' });
  const lines = byLine(diagnostics.filter((d) => d.code.startsWith('RL2')));
  const sourceLines = source.split('\n');

  it('the corpus assembles without errors', () => {
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  });

  it('every flagged form of the table is in the corpus', () => {
    const covered = new Set(corpus.map((c) => c.form));
    const missing = FORMS.filter((f) => f.privilege !== 'unprivileged' && !covered.has(f.source)).map((f) => f.source);
    assert.deepEqual(missing, []);
  });

  it('each line gets exactly the codes of its form class, over the instruction text', () => {
    let flagged = 0;
    for (const c of corpus) {
      const form = formBySource.get(c.form);
      assert.ok(form, `corpus form ${c.form} is in the table`);
      const want = [...CODES_BY_CLASS[form.privilege]].sort();
      const got = (lines.get(c.line) ?? []).map((d) => d.code).sort();
      assert.deepEqual(got, want, `line ${c.line}: ${c.text} (${c.form}, ${form.privilege})`);
      for (const d of lines.get(c.line) ?? []) {
        const text = sourceLines[c.line - 1]!;
        assert.equal(text.slice(d.column - 1, d.endColumn - 1), c.text, `range of line ${c.line}`);
      }
      if (want.length > 0) flagged++;
    }
    assert.ok(flagged >= FORMS.filter((f) => f.privilege !== 'unprivileged').length);
  });
});
