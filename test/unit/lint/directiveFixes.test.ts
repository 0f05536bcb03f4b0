// The mode directive's keywords in any case (as ringlab-ignore's), and whole words only: a mode
// name and a code match as words, so `mode=pv2` is an unknown mode and `RL2011` silences nothing.

import * as assert from 'node:assert/strict';
import { lint, lintSource } from '../../../core/lint';
import { ignoredCodes, modeDirective } from '../../../core/lint/directives';

describe('core/lint directives: case and whole words', () => {
  for (const first of ['; RingLab: mode=pv', '; ringlab: Mode=pv', '; RINGLAB: MODE=PV', ';ringlab:mode = Paravirtual']) {
    it(`'${first}' sets the mode`, () => {
      const r = lintSource(`${first}\ncli\n`, { mode: 'trap-and-emulate' });
      assert.equal(r.mode, 'paravirtual');
      assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.severity}`), ['RL201 error']);
    });
  }

  for (const [first, name] of [['; ringlab: mode=pv2', 'pv2'], ['; RingLab: mode=trap-and-emulatex', 'trap-and-emulatex'], ['; ringlab: mode=hw.', 'hw.']] as const) {
    it(`'${first}' is an unknown mode: RL200 on '${name}', linted for the default`, () => {
      const r = lintSource(`${first}\ncli\n`, { mode: 'binary-translation' });
      assert.equal(r.mode, 'binary-translation');
      const d = r.diagnostics.find((x) => x.code === 'RL200');
      assert.ok(d, 'RL200');
      assert.equal(d.severity, 'warning');
      assert.equal(first.slice(d.column - 1, d.endColumn - 1), name);
      assert.match(d.message, new RegExp(`'${name.replace('.', '\\.')}'`));
    });
  }

  it('a name ends at a blank, comma or semicolon', () => {
    assert.equal(modeDirective('; ringlab: mode=pv ; for the lab')?.mode, 'paravirtual');
    assert.equal(modeDirective('; ringlab: mode=hw, with EPT')?.mode, 'hardware-assisted');
  });

  it('ringlab-ignore: a code matches as a whole word, in any case', () => {
    assert.equal(lint('cli ; ringlab-ignore RL2011\n').map((d) => d.code).join(), 'RL201');
    assert.equal(lint('cli ; ringlab-ignore RL201x\n').map((d) => d.code).join(), 'RL201');
    assert.deepEqual(lint('cli ; ringlab-ignore rl201\n'), []);
    assert.deepEqual(lint('in al, dx ; ringlab-ignore RL201,RL203\n'), []);
    assert.deepEqual([...ignoredCodes('cli ; ringlab-ignore RL2011, rl203')!], ['RL2011', 'RL203']);
    // No code named: every RL2xx on the line, as before.
    assert.deepEqual([...ignoredCodes('cli ; ringlab-ignore')!], []);
  });

  it('ringlab-ignore silences an assembler warning it names, never an error, and a bare one no RL1xx', () => {
    const source = ['bits 32', 'mov al, 300 ; ringlab-ignore RL105', 'mov al, 300', 'foo eax ; ringlab-ignore RL101', 'label ; ringlab-ignore', 'other ; ringlab-ignore RL100'].join('\n');
    assert.deepEqual(lint(`${source}\n`, { file: 'w.gasm' }).map((d) => `${d.line}:${d.code}:${d.severity}`).sort(), ['3:RL105:warning', '4:RL101:error', '5:RL100:warning']);
  });

  it('a file whose lines end in a lone CR: the directive is its first line, ignore comments and ranges are per line', () => {
    const lines = ['; ringlab: mode=pv', 'bits 32', '  cli', '  hlt ; ringlab-ignore RL201', '  pushf'];
    const r = lintSource(lines.join('\r'), { mode: 'trap-and-emulate' });
    assert.equal(r.mode, 'paravirtual');
    assert.deepEqual(r.diagnostics.map((d) => `${d.line}:${d.column}-${d.endColumn} ${d.code}`), ['3:3-6 RL201', '5:3-8 RL202']);
    // The directive names a mode on the first line only, whatever the line ends.
    assert.equal(lintSource(['bits 32', '; ringlab: mode=pv', 'cli'].join('\r'), { mode: 'hardware-assisted' }).mode, 'hardware-assisted');
  });
});
