// Segment registers as operands: MOV to and from a segment register, PUSH/POP of ES CS SS DS FS
// GS, and the far-pointer loads LDS LES LFS LGS LSS. Loads go through segmentation.ts's checks;
// MOV SS and POP SS open the one-instruction interrupt shadow.

import type { Form, OperandKind } from '../../isa';
import { VECTOR } from '../cpuFault';
import type { Cpu } from '../cpu';
import { getReg16, setReg16, setReg32 } from '../operands';
import { loadSegmentRegister } from '../segmentation';
import { defineSemantics, type Handler } from './registry';

const SREG_OF: Partial<Record<OperandKind, number>> = { es: 0, cs: 1, ss: 2, ds: 3, fs: 4, gs: 5 };
const SS = 2;

function loadAndShadow(cpu: Cpu, sreg: number, selector: number): void {
  loadSegmentRegister(cpu, sreg, selector);
  if (sreg === SS) {
    cpu.state.interruptShadow = true;
    cpu.noteInterruptCheck();
  }
}

/** MOV's segment-register forms; the other MOV forms belong to the integer semantics. */
defineSemantics(['mov'], (form: Form): Handler | undefined => {
  const [dst, src] = form.operands;
  if (src === 'sreg') {
    if (dst === 'm16') return (c, d) => c.write16(d.memSeg, c.effectiveAddress(d), c.state.segs[d.reg]!.selector);
    if (dst === 'r16') return (c, d) => setReg16(c, d.rm, c.state.segs[d.reg]!.selector);
    return (c, d) => setReg32(c, d.rm, c.state.segs[d.reg]!.selector); // zero-extended, as current CPUs do
  }
  if (dst === 'sreg') {
    return (c, d) => {
      if (d.reg === 1) c.raise(VECTOR.UD); // MOV CS is undefined
      const selector = src === 'm16' ? c.read16(d.memSeg, c.effectiveAddress(d)) : getReg16(c, d.rm);
      loadAndShadow(c as Cpu, d.reg, selector);
    };
  }
  return undefined;
});

defineSemantics(['push'], (form: Form): Handler | undefined => {
  const sreg = SREG_OF[form.operands[0]!];
  if (sreg === undefined) return undefined;
  return (c, d) => {
    const selector = c.state.segs[sreg]!.selector;
    if (d.opsize16) c.push16(selector); else c.push32(selector);
  };
});

defineSemantics(['pop'], (form: Form): Handler | undefined => {
  const sreg = SREG_OF[form.operands[0]!];
  if (sreg === undefined) return undefined;
  return (c, d) => {
    // Load before moving ESP, so a refused selector leaves the stack as it was.
    const r = c.state.regs;
    const big = c.state.segs[SS]!.db;
    const sp = big ? r[4]! >>> 0 : r[4]! & 0xffff;
    const width = d.opsize16 ? 2 : 4;
    const selector = c.read16(SS, sp);
    loadAndShadow(c as Cpu, sreg, selector);
    r[4] = big ? r[4]! + width : (r[4]! & ~0xffff) | ((sp + width) & 0xffff);
  };
});

for (const [mnemonic, sreg] of [['les', 0], ['lss', 2], ['lds', 3], ['lfs', 4], ['lgs', 5]] as const) {
  defineSemantics([mnemonic], (form: Form): Handler => {
    const width = form.operands[0] === 'r16' ? 2 : 4;
    return (c, d) => {
      const ea = c.effectiveAddress(d);
      const offset = width === 4 ? c.read32(d.memSeg, ea) : c.read16(d.memSeg, ea);
      const selector = c.read16(d.memSeg, (ea + width) >>> 0);
      loadSegmentRegister(c as Cpu, sreg, selector);
      if (width === 4) setReg32(c, d.reg, offset); else setReg16(c, d.reg, offset);
    };
  });
}
