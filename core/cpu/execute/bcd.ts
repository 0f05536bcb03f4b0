// Semantics of the decimal and ASCII adjustments (DAA DAS AAA AAS AAM AAD), after the SDM's
// pseudo-code. AAM with a base of 0 raises #DE.

import { VECTOR } from '../cpuFault';
import { EFLAGS } from '../cpuState';
import { getReg16, getReg8, setReg16, setReg8 } from '../operands';
import { defineSemantics, type Handler } from './registry';

const { CF, AF, OF } = EFLAGS;
const AL = 0, AH = 4, AX = 0;

defineSemantics(['daa'], (): Handler => (c) => {
  const old = getReg8(c, AL), oldCf = c.flags.cf();
  let al = old, cf = false, af = false;
  if ((al & 0x0f) > 9 || c.flags.af()) {
    cf = oldCf || al + 6 > 0xff;
    al = (al + 6) & 0xff;
    af = true;
  }
  if (old > 0x99 || oldCf) { al = (al + 0x60) & 0xff; cf = true; }
  setReg8(c, AL, al);
  c.flags.resultWith(al, 8, CF | AF | OF, (cf ? CF : 0) | (af ? AF : 0));
});

defineSemantics(['das'], (): Handler => (c) => {
  const old = getReg8(c, AL), oldCf = c.flags.cf();
  let al = old, cf = false, af = false;
  if ((al & 0x0f) > 9 || c.flags.af()) {
    cf = oldCf || al < 6;
    al = (al - 6) & 0xff;
    af = true;
  }
  if (old > 0x99 || oldCf) { al = (al - 0x60) & 0xff; cf = true; }
  setReg8(c, AL, al);
  c.flags.resultWith(al, 8, CF | AF | OF, (cf ? CF : 0) | (af ? AF : 0));
});

defineSemantics(['aaa'], (): Handler => (c) => {
  const adjust = (getReg8(c, AL) & 0x0f) > 9 || c.flags.af();
  let ax = getReg16(c, AX);
  if (adjust) ax = (ax + 0x106) & 0xffff;
  setReg16(c, AX, ax & 0xff0f);
  c.flags.set(CF | AF, adjust ? CF | AF : 0);
});

defineSemantics(['aas'], (): Handler => (c) => {
  const adjust = (getReg8(c, AL) & 0x0f) > 9 || c.flags.af();
  let ax = getReg16(c, AX);
  if (adjust) ax = (ax - 6 - 0x100) & 0xffff; // AX := AX - 6 (borrowing from AH), then AH := AH - 1
  setReg16(c, AX, ax & 0xff0f);
  c.flags.set(CF | AF, adjust ? CF | AF : 0);
});

defineSemantics(['aam'], (form): Handler => {
  const fixedBase = form.operands.length === 0;
  return (c, d) => {
    const base = fixedBase ? 10 : d.imm & 0xff;
    if (base === 0) c.raise(VECTOR.DE);
    const al = getReg8(c, AL), q = Math.floor(al / base), r = al - q * base;
    setReg16(c, AX, (q << 8) | r);
    c.flags.resultWith(r, 8, CF | AF | OF, 0);
  };
});

defineSemantics(['aad'], (form): Handler => {
  const fixedBase = form.operands.length === 0;
  return (c, d) => {
    const base = fixedBase ? 10 : d.imm & 0xff;
    const al = (getReg8(c, AL) + getReg8(c, AH) * base) & 0xff;
    setReg16(c, AX, al);
    c.flags.resultWith(al, 8, CF | AF | OF, 0);
  };
});
