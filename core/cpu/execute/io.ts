// Port I/O: IN and OUT (immediate or DX port), INS and OUTS with REP. The IOPL / I/O bitmap
// check and the machine's port bus are behind ExecContext.ioIn/ioOut.

import { RepKind, type Decoded } from '../../disasm/decoded';
import type { Form } from '../../isa';
import { EFLAGS } from '../cpuState';
import type { ExecContext } from '../execContext';
import { operandBytes } from '../operands';
import { defineSemantics, type Handler } from './registry';

type Width = 1 | 2 | 4;

function accumulatorWidth(form: Form, i: number): Width {
  return operandBytes(form.operands[i]!) as Width;
}

function setAccumulator(c: ExecContext, width: Width, value: number): void {
  const r = c.state.regs;
  if (width === 4) r[0] = value;
  else if (width === 2) r[0] = (r[0]! & ~0xffff) | (value & 0xffff);
  else r[0] = (r[0]! & ~0xff) | (value & 0xff);
}

defineSemantics(['in'], (form): Handler => {
  const width = accumulatorWidth(form, 0);
  const fromDx = form.operands[1] === 'dx';
  return (c, d) => {
    const port = fromDx ? c.state.regs[2]! & 0xffff : d.imm & 0xff;
    setAccumulator(c, width, c.ioIn(port, width));
  };
});

defineSemantics(['out'], (form): Handler => {
  const width = accumulatorWidth(form, 1);
  const toDx = form.operands[0] === 'dx';
  return (c, d) => {
    const port = toDx ? c.state.regs[2]! & 0xffff : d.imm & 0xff;
    c.ioOut(port, width, c.state.regs[0]! >>> 0);
  };
});

/** Index register (ESI/EDI or SI/DI by address size) stepped by the direction flag. */
function step(c: ExecContext, d: Decoded, reg: number, width: number): void {
  const r = c.state.regs;
  const delta = (c.state.flagsRest & EFLAGS.DF) !== 0 ? -width : width;
  if (d.addrsize16) r[reg] = (r[reg]! & ~0xffff) | ((r[reg]! + delta) & 0xffff);
  else r[reg] = r[reg]! + delta;
}

function indexOf(c: ExecContext, d: Decoded, reg: number): number {
  const v = c.state.regs[reg]!;
  return d.addrsize16 ? v & 0xffff : v >>> 0;
}

/** Runs `one` once, or ECX (CX) times under a REP prefix, counting down as it goes so a fault restarts. */
function repeat(c: ExecContext, d: Decoded, one: () => void): void {
  if (d.rep === RepKind.None) { one(); return; }
  const r = c.state.regs;
  for (;;) {
    const count = d.addrsize16 ? r[1]! & 0xffff : r[1]! >>> 0;
    if (count === 0) return;
    one();
    if (d.addrsize16) r[1] = (r[1]! & ~0xffff) | ((count - 1) & 0xffff);
    else r[1] = count - 1;
  }
}

const ESI = 6;
const EDI = 7;
const ES = 0;

for (const [mnemonic, width] of [['insb', 1], ['insw', 2], ['insd', 4]] as const) {
  defineSemantics([mnemonic], () => (c, d) => repeat(c, d, () => {
    const value = c.ioIn(c.state.regs[2]! & 0xffff, width);
    const off = indexOf(c, d, EDI);
    if (width === 1) c.write8(ES, off, value); else if (width === 2) c.write16(ES, off, value); else c.write32(ES, off, value);
    step(c, d, EDI, width);
  }));
}

for (const [mnemonic, width] of [['outsb', 1], ['outsw', 2], ['outsd', 4]] as const) {
  defineSemantics([mnemonic], () => (c, d) => repeat(c, d, () => {
    const seg = d.segOverride >= 0 ? d.segOverride : 3;
    const off = indexOf(c, d, ESI);
    const value = width === 1 ? c.read8(seg, off) : width === 2 ? c.read16(seg, off) : c.read32(seg, off);
    c.ioOut(c.state.regs[2]! & 0xffff, width, value);
    step(c, d, ESI, width);
  }));
}
