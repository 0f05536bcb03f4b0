// Semantics of the general stack instructions: PUSH/POP of general registers, memory and
// immediates (segment-register forms belong to the system half), PUSHAD/POPAD/PUSHAW/POPAW,
// ENTER with nesting levels and LEAVE. A fault part-way restores ESP so the instruction can be
// restarted (the CPU restores only EIP).

import type { Form } from '../../isa';
import { operandBits, operandGetter, operandSetter } from '../operands';
import { defineSemantics, type Handler } from './registry';

const ESP = 4, EBP = 5, SS = 2;

const segmentOperand = (form: Form): boolean => form.operands.some((k) => ['es', 'cs', 'ss', 'ds', 'fs', 'gs', 'sreg'].includes(k));

/**
 * Wraps a handler so that a fault part-way puts ESP back (one wrapper per form at load; the
 * try/catch costs nothing on the path that does not throw, and nothing is allocated per run).
 */
function keepingEsp(body: Handler): Handler {
  return (c, d) => {
    const esp = c.state.regs[ESP]!;
    try {
      body(c, d);
    } catch (e) {
      c.state.regs[ESP] = esp;
      throw e;
    }
  };
}

defineSemantics(['push'], (form): Handler | undefined => {
  if (segmentOperand(form)) return undefined;
  const get = operandGetter(form, 0);
  // Immediates carry their width in the kind (sbyte16 is pushed as a word under o16).
  if (operandBits(form, 0) === 16) return (c, d) => c.push16(get(c, d));
  if (form.encoding.slots[0] === 'opreg') return (c, d) => c.push32(c.state.regs[d.reg]!); // PUSH r32 without the accessor
  return (c, d) => c.push32(get(c, d));
});

/** POP r/m: the effective address is computed after ESP has moved (SDM: `pop [esp+4]`). */
defineSemantics(['pop'], (form): Handler | undefined => {
  if (segmentOperand(form)) return undefined;
  const set = operandSetter(form, 0), word = operandBits(form, 0) === 16;
  if (form.encoding.slots[0] === 'opreg') {
    // POP ESP: the popped value, written after ESP moved, is what ESP ends with (as the SDM says).
    return word ? (c, d) => set(c, d, c.pop16()) : (c, d) => { c.state.regs[d.reg] = c.pop32(); };
  }
  return keepingEsp((c, d) => set(c, d, word ? c.pop16() : c.pop32()));
});

defineSemantics(['pushad'], (): Handler => keepingEsp((c) => {
  const r = c.state.regs, esp = r[ESP]!;
  for (let i = 0; i < 8; i++) c.push32(i === ESP ? esp : r[i]!);
}));

defineSemantics(['pushaw'], (): Handler => keepingEsp((c) => {
  const r = c.state.regs, sp = r[ESP]!;
  for (let i = 0; i < 8; i++) c.push16(i === ESP ? sp : r[i]!);
}));

/** POPAD: pops EDI ESI EBP (skips ESP) EBX EDX ECX EAX; registers change only once all pops succeed. */
const popped = new Int32Array(8);
defineSemantics(['popad'], (): Handler => keepingEsp((c) => {
  for (let i = 7; i >= 0; i--) popped[i] = c.pop32();
  const r = c.state.regs;
  for (let i = 0; i < 8; i++) if (i !== ESP) r[i] = popped[i]!;
}));

defineSemantics(['popaw'], (): Handler => keepingEsp((c) => {
  for (let i = 7; i >= 0; i--) popped[i] = c.pop16();
  const r = c.state.regs;
  for (let i = 0; i < 8; i++) if (i !== ESP) r[i] = (r[i]! & ~0xffff) | (popped[i]! & 0xffff);
}));

/**
 * ENTER size, level: push (E)BP; copy level-1 frame pointers from the old frame; push the new
 * frame pointer; (E)BP = frame; (E)SP -= size. The stack's B bit picks ESP/EBP or SP/BP.
 */
defineSemantics(['enter'], (): Handler => keepingEsp((c, d) => {
  const r = c.state.regs, bigStack = c.state.segs[SS]!.db, o16 = d.opsize16;
  const size = d.imm & 0xffff, level = d.imm2 & 0x1f;
  if (o16) c.push16(r[EBP]!); else c.push32(r[EBP]!);
  const frame = r[ESP]!;
  if (level > 0) {
    let bp = r[EBP]!;
    const step = o16 ? 2 : 4;
    for (let i = 1; i < level; i++) {
      bp = bigStack ? bp - step : (bp & ~0xffff) | ((bp - step) & 0xffff);
      const at = bigStack ? bp >>> 0 : bp & 0xffff;
      if (o16) c.push16(c.read16(SS, at)); else c.push32(c.read32(SS, at));
    }
    if (o16) c.push16(frame); else c.push32(frame);
  }
  const sp = r[ESP]! - size;
  const finalSp = bigStack ? sp : (r[ESP]! & ~0xffff) | (sp & 0xffff);
  // The SDM: #PF (or #SS) "if a write using the final value of the stack pointer would fault",
  // so processors probe it before committing (measured: the AMD host faults there).
  const probe = bigStack ? finalSp >>> 0 : finalSp & 0xffff;
  c.write8(SS, probe, c.read8(SS, probe));
  if (o16) r[EBP] = (r[EBP]! & ~0xffff) | (frame & 0xffff); else r[EBP] = frame;
  r[ESP] = finalSp;
}));

/** LEAVE: (E)SP = (E)BP, then pop (E)BP. */
defineSemantics(['leave'], (): Handler => keepingEsp((c, d) => {
  const r = c.state.regs;
  if (c.state.segs[SS]!.db) r[ESP] = r[EBP]!; else r[ESP] = (r[ESP]! & ~0xffff) | (r[EBP]! & 0xffff);
  if (d.opsize16) r[EBP] = (r[EBP]! & ~0xffff) | c.pop16(); else r[EBP] = c.pop32();
}));
