// Control transfers that leave the current code segment or go through the IDT: far JMP and
// CALL (immediate ptr16:16/32 or m16:16/32), RETF, INT n, INT3, INTO, INT1 and IRETD/IRETW.
// Near JMP/CALL/RET belong to the integer semantics.

import type { Decoded } from '../../disasm/decoded';
import type { Form } from '../../isa';
import { VECTOR } from '../cpuFault';
import type { Cpu } from '../cpu';
import { farCall, farJump, farReturn, interruptReturn } from '../farTransfer';
import { EVENT, type EventKind } from '../interrupts';
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

/** A software interrupt: a fault while delivering it restarts the instruction, so its start is
 *  given to the delivery (the fetch loop does not store every instruction's start). */
function softwareInterrupt(c: Cpu, d: Decoded, vector: number, kind: EventKind): void {
  c.instructionStart = d.addr;
  c.raiseEvent(vector, 0, kind);
}

defineSemantics(['int'], () => (c, d) => softwareInterrupt(c as Cpu, d, d.imm & 0xff, EVENT.SOFTWARE));
defineSemantics(['int3'], () => (c, d) => softwareInterrupt(c as Cpu, d, VECTOR.BP, EVENT.SOFTWARE));
defineSemantics(['int1'], () => (c, d) => softwareInterrupt(c as Cpu, d, VECTOR.DB, EVENT.ICEBP));
defineSemantics(['into'], () => (c, d) => {
  if (c.flags.of()) softwareInterrupt(c as Cpu, d, VECTOR.OF, EVENT.SOFTWARE);
});

defineSemantics(['iretd'], () => (c) => interruptReturn(c as Cpu, 4));
defineSemantics(['iretw'], () => (c) => interruptReturn(c as Cpu, 2));
