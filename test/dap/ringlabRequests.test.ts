// RingLab's own DAP messages for the extension's views (extension/protocol.ts): ringlab/state,
// ringlab/translationCache, ringlab/pageTables and the ringlab/vmmEvent event.

import * as assert from 'node:assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { PageTablesResponse, RingLabState, TranslationCacheResponse, VmmEvent } from '../../extension/protocol';
import { buildOnce, HELLO, KERNEL, launchStopped, lineOf, modeAvailable, startClient, stopAfter, variablesOf } from './dapHarness';

describe('dap: ringlab/state, translation cache, page tables and VMM events', function () {
  let dc: DebugClient;
  before(buildOnce);
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { await dc.stop(); });

  it('under trap: the state shows both views, and the traps arrive as ringlab/vmmEvent', async function () {
    if (!modeAvailable('trap')) this.skip();
    await launchStopped(dc, { program: HELLO, mode: 'trap' });
    const events: VmmEvent[] = [];
    dc.on('ringlab/vmmEvent', (e: { body: VmmEvent }) => events.push(e.body));
    await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: lineOf(HELLO, 'inc esi') }] });
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    const state = (await dc.customRequest('ringlab/state')).body as RingLabState;
    assert.strictEqual(state.mode, 'trap-and-emulate');
    assert.strictEqual(state.hypervisor, 'type1');
    assert.deepStrictEqual([state.guest.cpl, state.hardware.cpl], [0, 1]);
    assert.strictEqual(state.owner, 'guest-kernel');
    assert.ok(state.counters!.traps >= 2, `traps ${state.counters!.traps}`);
    assert.strictEqual(state.lastEvent?.instruction, 'out dx, al');
    assert.ok(events.some((e) => e.kind === 'trap' && e.instruction === 'in al, dx'), JSON.stringify(events));
  });

  it('under bt: the translation cache lists translated blocks', async function () {
    if (!modeAvailable('bt')) this.skip();
    await launchStopped(dc, { program: HELLO, mode: 'bt' });
    await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: lineOf(HELLO, 'inc esi') }] });
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    const cache = (await dc.customRequest('ringlab/translationCache')).body as TranslationCacheResponse;
    assert.ok(cache.blocks.length > 0);
    assert.ok(cache.blocks.some((b) => b.guest?.some((g) => /^out dx, al/.test(g))), JSON.stringify(cache.blocks.map((b) => b.guest)));
    // The disassembly view shows each translated instruction's translation beside it.
    const at = (await dc.evaluateRequest({ expression: '_start', context: 'watch' })).body.memoryReference!;
    const dis = (await dc.disassembleRequest({ memoryReference: at, instructionCount: 30 })).body!.instructions;
    assert.ok(dis.some((i) => /^out dx, al +; bt: call HANDLE_IO$/.test(i.instruction)), dis.map((i) => i.instruction).join('\n'));
    // And the Hypervisor scope lists the cache, unit by unit, guest -> translation.
    const hv = await variablesOf(dc, 'Hypervisor');
    const tc = hv.find((v) => v.name === 'translation cache')!;
    const units = (await dc.variablesRequest({ variablesReference: tc.variablesReference })).body.variables;
    assert.strictEqual(units.length, cache.blocks.length);
    const rows = await Promise.all(units.map(async (u) => (await dc.variablesRequest({ variablesReference: u.variablesReference })).body.variables));
    assert.ok(rows.flat().some((r) => /^out dx, al  ->  call HANDLE_IO  \(callout\)$/.test(r.value)), rows.flat().map((r) => r.value).join('\n'));
  });

  it('page tables: empty before paging, the kernel\'s identity map after its CR3 load', async () => {
    await launchStopped(dc, { program: KERNEL });
    const before = (await dc.customRequest('ringlab/pageTables')).body as PageTablesResponse;
    assert.strictEqual(before.paging, false);
    assert.strictEqual(before.entries.length, 0);
    await dc.setBreakpointsRequest({ source: { path: KERNEL }, breakpoints: [{ line: lineOf(KERNEL, 'jmp enter_ring3') }] });
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    const after = (await dc.customRequest('ringlab/pageTables')).body as PageTablesResponse;
    assert.strictEqual(after.paging, true);
    const kernelPage = after.entries.find((e) => e.virt === 0x100000);
    assert.ok(kernelPage, 'the kernel page is mapped');
    assert.strictEqual(kernelPage.phys, 0x100000);
    assert.match(kernelPage.flags, /^P RW/);
  });
});
