// The Rings view's diagrams: who sits at which ring under each mode and hypervisor type (the
// lecture's pictures), and where the CPU and the VIF are drawn from the adapter's state.

import * as assert from 'node:assert/strict';
import { ringLayout, ringsHtml, ringsSvg } from '../../extension/ringsDiagram';
import type { RingLabState } from '../../extension/protocol';

const roleAt = (rows: ReturnType<typeof ringLayout>, ring: string, vmx?: string): string[] =>
  rows.filter((r) => r.ring === ring && (vmx === undefined || r.vmx === vmx)).flatMap((r) => r.boxes.map((b) => b.role));

describe('extension: ring diagrams', () => {
  it('native: guest apps at ring 3, the kernel at ring 0, no VMM', () => {
    const rows = ringLayout('native', null);
    assert.deepEqual(roleAt(rows, 'ring 3'), ['guest-user']);
    assert.deepEqual(roleAt(rows, 'ring 0'), ['guest-kernel']);
    assert.ok(!rows.some((r) => r.boxes.some((b) => b.role === 'vmm')));
  });

  for (const mode of ['trap-and-emulate', 'binary-translation', 'paravirtual'] as const) {
    it(`${mode}: the guest kernel deprivileged to ring 1, the VMM at ring 0; type 2 adds the host OS`, () => {
      const t1 = ringLayout(mode, 'type1');
      assert.deepEqual(roleAt(t1, 'ring 1'), ['guest-kernel']);
      assert.deepEqual(roleAt(t1, 'ring 0'), ['vmm']);
      const t2 = ringLayout(mode, 'type2');
      assert.deepEqual(roleAt(t2, 'ring 0'), ['vmm', 'host']);
      assert.deepEqual(roleAt(t2, 'ring 3'), ['guest-user', 'host-user']);
    });
  }

  it('hardware-assisted: guest kernel at non-root ring 0, the VMM at root "ring -1"', () => {
    const rows = ringLayout('hardware-assisted', 'type1');
    assert.deepEqual(roleAt(rows, 'ring 0', 'non-root'), ['guest-kernel']);
    assert.deepEqual(roleAt(rows, 'ring 3', 'non-root'), ['guest-user']);
    assert.deepEqual(roleAt(rows, 'ring -1', 'root'), ['vmm']);
    assert.deepEqual(roleAt(ringLayout('hardware-assisted', 'type2'), 'ring -1', 'root'), ['vmm', 'host']);
  });

  const state: RingLabState = {
    mode: 'trap-and-emulate', hypervisor: 'type1', owner: 'vmm', eip: 0x100010,
    guest: { cpl: 0, if: false, cr3: 0x5000 }, hardware: { cpl: 1, if: true, cr3: 0x1ff000 },
    lastEvent: { kind: 'trap', eip: 0x100010, instruction: 'mov cr3, eax', detail: 'emulated: shadow page table switched' },
  };

  it('marks the box where the CPU is and shows the VIF on the guest kernel', () => {
    const svg = ringsSvg('trap-and-emulate', 'type1', state);
    assert.match(svg, /class="box vmm here"/);
    assert.doesNotMatch(svg, /class="box guest-kernel here"/);
    assert.match(svg, /VIF 0/);
    assert.match(ringsSvg('trap-and-emulate', 'type1', { ...state, owner: 'guest-kernel', guest: { ...state.guest, if: true } }), /class="box guest-kernel here"[\s\S]*VIF 1/);
  });

  it('the page lists guest and hardware CPL, IF and CR3 side by side, escaped, and runs no script', () => {
    const html = ringsHtml({ mode: 'trap-and-emulate', hypervisor: 'type1', state: { ...state, lastEvent: { ...state.lastEvent!, detail: '<script>x</script>' } } }, 'vscode-resource:');
    assert.match(html, /<th>CPL<\/th><td>0<\/td><td>1<\/td>/);
    assert.match(html, /<th>CR3<\/th><td>0x00005000<\/td><td>0x001FF000<\/td>/);
    assert.ok(!html.includes('<script>'));
    assert.match(html, /default-src 'none'/);
  });
});
