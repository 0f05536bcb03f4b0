// F5 with no launch.json, defaults and field errors: extension/launchConfig.ts, without VS Code.

import * as assert from 'node:assert/strict';
import { completeLaunch } from '../../extension/launchConfig';

const DEFAULTS = { program: '/w/examples/kernel.gasm', mode: 'trap-and-emulate', hypervisor: 'type1' };

describe('extension: launch configuration', () => {
  it('F5 with no launch.json debugs the open guest file under the default mode, stopping on entry', () => {
    const r = completeLaunch({}, DEFAULTS);
    assert.ok('config' in r);
    assert.deepEqual(r.config, { type: 'ringlab', request: 'launch', name: 'Debug guest', program: DEFAULTS.program, stopOnEntry: true, mode: 'trap-and-emulate', hypervisor: 'type1' });
  });

  it('F5 with no guest file open says what to do', () => {
    const r = completeLaunch({}, { mode: 'trap', hypervisor: 'type1' });
    assert.ok('error' in r && /Open a guest/.test(r.error));
  });

  it('mode aliases become the full names the adapter and the views use', () => {
    for (const [alias, full] of [['bt', 'binary-translation'], ['pv', 'paravirtual'], ['hw', 'hardware-assisted'], ['TRAP', 'trap-and-emulate']]) {
      const r = completeLaunch({ type: 'ringlab', request: 'launch', name: 'x', program: 'a.gasm', mode: alias }, DEFAULTS);
      assert.ok('config' in r);
      assert.equal(r.config['mode'], full);
    }
  });

  it('a bad field is refused with its name', () => {
    const base = { type: 'ringlab', request: 'launch', name: 'x', program: 'a.gasm' };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ mode: 'vt-x' }, /^mode: 'vt-x' is not a mode/],
      [{ hypervisor: 'type3' }, /^hypervisor:/],
      [{ memory: -1 }, /^memory:/],
      [{ memory: '32' }, /^memory:/],
      [{ maxInstructions: 1.5 }, /^maxInstructions:/],
      [{ stopOnEntry: 'yes' }, /^stopOnEntry:/],
      [{ vmcs: [1] }, /^vmcs:/],
      [{ console: 'terminal' }, /^console:/],
      [{ request: 'attach' }, /^request:/],
      [{ program: 42 }, /^program:/],
    ];
    for (const [extra, want] of cases) {
      const r = completeLaunch({ ...base, ...extra }, DEFAULTS);
      assert.ok('error' in r, JSON.stringify(extra));
      assert.match(r.error, want);
    }
  });

  it('a configuration without program takes the open file', () => {
    const r = completeLaunch({ type: 'ringlab', request: 'launch', name: 'x', mode: 'hw' }, DEFAULTS);
    assert.ok('config' in r);
    assert.equal(r.config.program, DEFAULTS.program);
  });
});
