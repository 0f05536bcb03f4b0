// Control transfers that leave the current code segment or go through the IDT: far JMP and
// CALL (immediate ptr16:16/32 or m16:16/32), RETF, INT n, INT3, INTO, INT1 and IRETD/IRETW.
// Near JMP/CALL/RET belong to the integer semantics.

import type { Form } from '../../isa';
import { VECTOR } from '../cpuFault';
import type { Cpu } from '../cpu';
import { farCall, farJump, farReturn, interruptReturn } from '../farTransfer';
import { EVENT } from '../interrupts';
import { defineSemantics, type Handler } from './registry';

function farWidth(form: Form): number {
  return form.encoding.opsize === 16 ? 2 : 4;
}

/** The far forms of JMP or CALL: selector and offset from the immediate or from memory. */
function farForm(transfer: (cpu: Cpu, selector: number, offset: number, width: number) => void) {
  return (form: Form): Handler | undefined => {
    const kind = form.operands[0];
    const width = farWidth(form);
    if (kind === 'far16' || kind === 'far32') {
      return (c, d) => transfer(c as Cpu, d.farSeg, d.imm >>> 0, width);
    }
    if (kind === 'mfar') {
      return (c, d) => {
        const ea = c.effectiveAddress(d);
        const offset = width === 4 ? c.read32(d.memSeg, ea) : c.read16(d.memSeg, ea);
        const selector = c.read16(d.memSeg, (ea + width) >>> 0);
        transfer(c as Cpu, selector, offset, width);
      };
    }
    return undefined;
  };
}

defineSemantics(['jmp'], farForm(farJump));
defineSemantics(['call'], farForm(farCall));

defineSemantics(['retf'], (form) => {
  const release = form.operands.length > 0;
  return (c, d) => farReturn(c as Cpu, d.opsize16 ? 2 : 4, release ? d.imm & 0xffff : 0);
});

defineSemantics(['int'], () => (c, d) => (c as Cpu).raiseEvent(d.imm & 0xff, 0, EVENT.SOFTWARE));
defineSemantics(['int3'], () => (c) => (c as Cpu).raiseEvent(VECTOR.BP, 0, EVENT.SOFTWARE));
defineSemantics(['int1'], () => (c) => (c as Cpu).raiseEvent(VECTOR.DB, 0, EVENT.ICEBP));
defineSemantics(['into'], () => (c) => {
  if (c.flags.of()) (c as Cpu).raiseEvent(VECTOR.OF, 0, EVENT.SOFTWARE);
});

defineSemantics(['iretd'], () => (c) => interruptReturn(c as Cpu, 4));
defineSemantics(['iretw'], () => (c) => interruptReturn(c as Cpu, 2));
