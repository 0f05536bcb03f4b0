// Severity per target mode (DESIGN's "Diagnostics" table), the mode directive, ringlab-ignore,
// the PV hypercall names, %include and a file with assembler errors.

import * as assert from 'node:assert/strict';
import type { SourceFiles } from '../../../core/asm/types';
import { lint, lintSource, PV_HYPERCALLS, type LintDiagnostic } from '../../../core/lint';
import { MODES, type Mode } from '../../../core/run/modes';

const SAMPLE = ['cli', 'pushf', 'in al, dx', 'hlt'].join('\n') + '\n';

function codes(ds: readonly LintDiagnostic[]): string[] {
  return ds.map((d) => `${d.line}:${d.code}:${d.severity}`);
}

describe('core/lint: modes and directives', () => {
  it('severities follow the mode table; native reports no RL2xx', () => {
    const want: Record<Mode, string[]> = {
      native: [],
      'trap-and-emulate': ['1:RL201:info', '2:RL202:warning', '3:RL201:info', '3:RL203:info', '4:RL201:info'],
      'binary-translation': ['1:RL201:info', '2:RL202:info', '3:RL201:info', '3:RL203:info', '4:RL201:info'],
      paravirtual: ['1:RL201:error', '2:RL202:warning', '3:RL201:error', '3:RL203:info', '4:RL201:error'],
      'hardware-assisted': ['1:RL201:info', '2:RL202:info', '3:RL201:info', '3:RL203:info', '4:RL201:info'],
    };
    for (const mode of MODES) assert.deepEqual(codes(lint(SAMPLE, { mode })), want[mode], mode);
  });

  it('messages say what each mode does', () => {
    for (const d of lint(SAMPLE, { mode: 'trap-and-emulate' })) {
      for (const m of ['trap:', 'bt:', 'pv:', 'hw:']) assert.ok(d.message.includes(m), `${d.code} ${d.message}`);
    }
  });

  it('a first-line mode directive wins over the option, aliases included', () => {
    const r = lintSource('; ringlab: mode=pv\n' + SAMPLE, { mode: 'hardware-assisted' });
    assert.equal(r.mode, 'paravirtual');
    assert.ok(r.diagnostics.some((d) => d.code === 'RL201' && d.severity === 'error'));
    assert.deepEqual(lint('; ringlab: mode=native\n' + SAMPLE, { mode: 'paravirtual' }), []);
    // Only the first line counts.
    assert.equal(lintSource('nop\n; ringlab: mode=pv\n', { mode: 'binary-translation' }).mode, 'binary-translation');
  });

  it('an unknown mode in the directive is a warning on its name', () => {
    const [d] = lint('; ringlab: mode=bogus\nnop\n');
    assert.equal(d?.code, 'RL200');
    assert.equal(d?.severity, 'warning');
    assert.equal('; ringlab: mode=bogus'.slice(d!.column - 1, d!.endColumn - 1), 'bogus');
  });

  it('ringlab-ignore silences the named codes on its line only', () => {
    const src = 'in al, dx ; ringlab-ignore RL201\nin al, dx ; ringlab-ignore RL201, RL203\nin al, dx\npushf ; ringlab-ignore\n';
    assert.deepEqual(codes(lint(src, { mode: 'paravirtual' })), ['1:RL203:info', '3:RL201:error', '3:RL203:info']);
  });

  it('under pv, the message names the hypercall of the PV ABI', () => {
    const cases: [string, RegExp][] = [
      ['cli', /upcall_mask/], ['sti', /upcall_mask/], ['mov cr3, eax', /mmuext_op \(26\) NEW_BASEPTR/],
      ['hlt', /sched_op \(29\) block/], ['out dx, al', /console_io \(18\)/], ['invlpg [eax]', /mmuext_op \(26\) INVLPG_LOCAL/],
      ['lidt [eax]', /set_trap_table \(0\)/],
    ];
    for (const [text, hypercall] of cases) {
      const [d] = lint(text + '\n', { mode: 'paravirtual' });
      assert.match(d!.message, hypercall, text);
      const [other] = lint(text + '\n', { mode: 'trap-and-emulate' });
      assert.doesNotMatch(other!.message, /instead/, `${text} outside pv`);
    }
    assert.doesNotMatch(lint('mov cr0, eax\n', { mode: 'paravirtual' })[0]!.message, /instead/);
    assert.match(PV_HYPERCALLS['iretd']!, /iret \(23\)/);
  });

  it('ranges cover the instruction after a label, not the comment; times reports once', () => {
    const [d, ...rest] = lint('start: hlt   ; stop\n', { mode: 'paravirtual' });
    assert.deepEqual([d!.line, d!.column, d!.endColumn], [1, 8, 11]);
    assert.equal(rest.length, 0);
    assert.equal(lint('times 3 cli\n').length, 1);
  });

  it('a long file: one finding per flagged line, however many distinct encodings and lines it has', () => {
    // 1,500 distinct MOV encodings and 256 of OUT fill the table of findings by encoding past its
    // first size; `times` far down checks the once-per-line rule past the first 1,024 lines.
    const lines: string[] = [];
    for (let i = 0; i < 1500; i++) lines.push(`mov eax, ${i}`, `out 0x${(i % 256).toString(16)}, al`);
    lines.push('times 3 cli', 'times 2 out dx, al');
    const ds = lint(lines.join('\n') + '\n', { mode: 'trap-and-emulate' });
    // OUT is flagged as privileged and as I/O (RL201 and RL203), CLI as privileged only.
    const outLines = [...Array.from({ length: 1500 }, (_, i) => 2 * i + 2), 3002];
    assert.deepEqual(ds.filter((d) => d.code === 'RL203').map((d) => d.line), outLines);
    assert.deepEqual(ds.filter((d) => d.code === 'RL201').map((d) => d.line), [...outLines.slice(0, -1), 3001, 3002]);
    assert.equal(ds.length, 2 * outLines.length + 1);
  });

  it('a file with assembler errors reports the RL1xx errors as the assembler does, and the findings of the lines that assembled', () => {
    const ds = lint('bits 32\nfrobnicate eax\nmov eax, undefined_label\ncli\n', { file: 'bad.gasm', mode: 'paravirtual' });
    const errors = ds.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => [d.file, d.line, d.code.slice(0, 3)]), [['bad.gasm', 2, 'RL1'], ['bad.gasm', 3, 'RL1'], ['bad.gasm', 4, 'RL2']]);
    assert.ok(errors.every((d) => d.endColumn > d.column));
  });

  it('follows %include: findings in the included file carry its name and line', () => {
    const files: SourceFiles = { read: (f) => (f === 'inc.gasm' ? 'nop\nsgdt [eax] ; ringlab-ignore RL201\n' : undefined), resolve: (_from, name) => name };
    const ds = lint('%include "inc.gasm"\nhlt\n', { file: 'main.gasm', files, mode: 'trap-and-emulate' });
    assert.deepEqual(ds.map((d) => `${d.file}:${d.line}:${d.code}`), ['inc.gasm:2:RL202', 'main.gasm:2:RL201']);
  });

  it('under pv, int 0x82 is the hypercall, not RL202; other INT n and segment loads still are', () => {
    const src = 'int 0x82\nint 0x80\nmov ds, ax\npop es\n';
    assert.deepEqual(codes(lint(src, { mode: 'paravirtual' })), ['2:RL202:warning', '3:RL202:warning', '4:RL202:warning']);
    assert.deepEqual(codes(lint('; ringlab: mode=pv\n' + src, { mode: 'trap-and-emulate' })), ['3:RL202:warning', '4:RL202:warning', '5:RL202:warning']);
    // Elsewhere INT 0x82 is an ordinary software interrupt through the guest's IDT.
    assert.deepEqual(codes(lint(src, { mode: 'trap-and-emulate' })), ['1:RL202:warning', '2:RL202:warning', '3:RL202:warning', '4:RL202:warning']);
    assert.deepEqual(codes(lint('times 2 int 0x82\n', { mode: 'paravirtual' })), []);
  });
});
