// Guest call frames: the current instruction, then the EBP chain (saved EBP at [ebp], return
// address at [ebp+4]) while it stays plausible: each return address must be an instruction of the
// program that follows a call, and each EBP must climb. Code without frame pointers shows one frame.

import type { DebugRun } from './debugRun';

export interface GuestFrame {
  readonly addr: number;
  /** The nearest label (`puts`, `puts+0x12`) or the address. */
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

const MAX_FRAMES = 32;

export function guestFrames(run: DebugRun): GuestFrame[] {
  const lines = run.sourceLines;
  const cpu = run.guest.cpu;
  const frame = (addr: number): GuestFrame => {
    const e = lines.entryAt(addr);
    return {
      addr, name: lines.nameOf(addr) ?? `0x${addr.toString(16).padStart(8, '0')}`,
      ...(e !== undefined ? { file: e.file, line: e.line, column: e.column } : {}),
    };
  };
  const frames = [frame(cpu.state.eip >>> 0)];
  const ssBase = cpu.state.segs[2]!.base;
  let ebp = cpu.state.regs[5]! >>> 0;
  while (frames.length < MAX_FRAMES && ebp !== 0) {
    const saved = run.memory.readValue((ssBase + ebp) >>> 0, 4);
    const ret = run.memory.readValue((ssBase + ebp + 4) >>> 0, 4);
    if (saved === null || ret === null) break;
    const e = lines.entryAt(ret);
    // A return address is the start of an instruction right after a call in the program.
    if (e === undefined || e.addr !== ret || !followsCall(run, ret)) break;
    frames.push(frame(ret));
    if (saved <= ebp) break;
    ebp = saved;
  }
  return frames;
}

function followsCall(run: DebugRun, ret: number): boolean {
  for (const back of [5, 6, 2, 3, 7]) {
    const lines = run.disassemble((ret - back) >>> 0, 1);
    const first = lines[0];
    if (first !== undefined && /^call\b/.test(first.text) && (first.addr + first.bytes.split(' ').length) >>> 0 === ret) return true;
  }
  return false;
}
