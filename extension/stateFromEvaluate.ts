// The Rings view's state from an adapter that does not answer `ringlab/state`: the same facts
// through standard DAP requests (threads, stackTrace, evaluate of the register names the adapter
// documents: cpl, vcpl, vif, cr3, vcr3, eflags, eip). The top frame's name says whether the CPU
// stopped inside the VMM (a stepped-into trap's frame is named `VMM ...`).

import type * as vscode from 'vscode';
import type { CpuOwner, RingLabState } from './protocol';
import type { SessionInfo } from './debugState';

const IF_BIT = 0x200;

/** `0x00102000 (1056768)`, `1`, `0x00000202 IF`: the first number in an evaluate result. */
export function firstNumber(text: string): number | undefined {
  const m = /0x[0-9a-f]+|\b\d+\b/i.exec(text);
  if (m === null) return undefined;
  return m[0].toLowerCase().startsWith('0x') ? parseInt(m[0].slice(2), 16) : Number(m[0]);
}

export async function stateFromEvaluate(info: SessionInfo): Promise<RingLabState> {
  const session: vscode.DebugSession = info.session;
  const threads = (await session.customRequest('threads')) as { threads: { id: number }[] };
  const threadId = threads.threads[0]?.id ?? 1;
  const trace = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as { stackFrames: { id: number; name: string }[] };
  const top = trace.stackFrames[0];
  const read = async (expression: string): Promise<number | undefined> => {
    try {
      const r = (await session.customRequest('evaluate', { expression, context: 'watch', ...(top ? { frameId: top.id } : {}) })) as { result: string };
      return firstNumber(r.result);
    } catch {
      return undefined;
    }
  };
  const [cpl, cr3, eflags, eip, vcpl, vif, vcr3] = await Promise.all(['cpl', 'cr3', 'eflags', 'eip', 'vcpl', 'vif', 'vcr3'].map(read));
  if (cpl === undefined || eflags === undefined) throw new Error('the adapter evaluates neither cpl nor eflags');
  const hwIf = (eflags & IF_BIT) !== 0;
  const guestCpl = vcpl ?? cpl;
  const inVmm = top !== undefined && /^VMM\b/i.test(top.name);
  const owner: CpuOwner = inVmm ? (info.hypervisor === 'type2' ? 'host' : 'vmm') : guestCpl === 3 ? 'guest-user' : 'guest-kernel';
  return {
    mode: info.mode,
    hypervisor: info.hypervisor,
    guest: { cpl: guestCpl, if: vif === undefined ? hwIf : vif !== 0, cr3: vcr3 ?? cr3 ?? 0 },
    hardware: { cpl, if: hwIf, cr3: cr3 ?? 0 },
    ...(info.mode === 'hardware-assisted' ? { vmxRoot: inVmm } : {}),
    owner,
    eip: eip ?? 0,
  };
}
