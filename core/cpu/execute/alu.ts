// Semantics of the two-operand ALU instructions (ADD OR ADC SBB AND SUB XOR CMP TEST), the
// one-operand ones (INC DEC NEG NOT) and ARPL. Each handler is specialised per form at load;
// the destination is written before the flags so a faulting write leaves the flags untouched.

import type { Form } from '../../isa';
import { EFLAGS } from '../cpuState';
import { operandBits, operandGetter, operandSetter, widthMask, type Getter, type Setter } from '../operands';
import { defineSemantics, type Handler } from './registry';

const { CF, ZF } = EFLAGS;

interface Binary { bits: number; mask: number; a: Getter; b: Getter; set: Setter }

function binary(form: Form): Binary {
  const bits = operandBits(form, 0);
  return { bits, mask: widthMask(bits), a: operandGetter(form, 0), b: operandGetter(form, 1), set: operandSetter(form, 0) };
}

defineSemantics(['add'], (form): Handler => {
  const { bits, mask, a, b, set } = binary(form);
  return (c, d) => {
    const x = a(c, d), y = b(c, d), r = (x + y) & mask;
    set(c, d, r);
    c.flags.add(x, y, r, bits);
  };
});

defineSemantics(['adc'], (form): Handler => {
  const { bits, mask, a, b, set } = binary(form);
  return (c, d) => {
    const x = a(c, d), y = b(c, d), r = (x + y + (c.flags.cf() ? 1 : 0)) & mask;
    set(c, d, r);
    c.flags.add(x, y, r, bits);
  };
});

defineSemantics(['sub'], (form): Handler => {
  const { bits, mask, a, b, set } = binary(form);
  return (c, d) => {
    const x = a(c, d), y = b(c, d), r = (x - y) & mask;
    set(c, d, r);
    c.flags.sub(x, y, r, bits);
  };
});

defineSemantics(['sbb'], (form): Handler => {
  const { bits, mask, a, b, set } = binary(form);
  return (c, d) => {
    const x = a(c, d), y = b(c, d), r = (x - y - (c.flags.cf() ? 1 : 0)) & mask;
    set(c, d, r);
    c.flags.sub(x, y, r, bits);
  };
});

defineSemantics(['cmp'], (form): Handler => {
  const { bits, mask, a, b } = binary(form);
  return (c, d) => {
    const x = a(c, d), y = b(c, d);
    c.flags.sub(x, y, (x - y) & mask, bits);
  };
});

defineSemantics(['and'], (form): Handler => {
  const { bits, a, b, set } = binary(form);
  return (c, d) => {
    const r = a(c, d) & b(c, d);
    set(c, d, r);
    c.flags.logic(r, bits);
  };
});

defineSemantics(['or'], (form): Handler => {
  const { bits, a, b, set } = binary(form);
  return (c, d) => {
    const r = a(c, d) | b(c, d);
    set(c, d, r);
    c.flags.logic(r, bits);
  };
});

defineSemantics(['xor'], (form): Handler => {
  const { bits, a, b, set } = binary(form);
  return (c, d) => {
    const r = a(c, d) ^ b(c, d);
    set(c, d, r);
    c.flags.logic(r, bits);
  };
});

defineSemantics(['test'], (form): Handler => {
  const { bits, a, b } = binary(form);
  return (c, d) => c.flags.logic(a(c, d) & b(c, d), bits);
});

defineSemantics(['inc'], (form): Handler => {
  const bits = operandBits(form, 0), mask = widthMask(bits), get = operandGetter(form, 0), set = operandSetter(form, 0);
  return (c, d) => {
    const x = get(c, d), r = (x + 1) & mask;
    set(c, d, r);
    c.flags.add(x, 1, r, bits, CF);
  };
});

defineSemantics(['dec'], (form): Handler => {
  const bits = operandBits(form, 0), mask = widthMask(bits), get = operandGetter(form, 0), set = operandSetter(form, 0);
  return (c, d) => {
    const x = get(c, d), r = (x - 1) & mask;
    set(c, d, r);
    c.flags.sub(x, 1, r, bits, CF);
  };
});

defineSemantics(['neg'], (form): Handler => {
  const bits = operandBits(form, 0), mask = widthMask(bits), get = operandGetter(form, 0), set = operandSetter(form, 0);
  return (c, d) => {
    const x = get(c, d), r = -x & mask;
    set(c, d, r);
    c.flags.sub(0, x, r, bits);
  };
});

defineSemantics(['not'], (form): Handler => {
  const mask = widthMask(operandBits(form, 0)), get = operandGetter(form, 0), set = operandSetter(form, 0);
  return (c, d) => set(c, d, ~get(c, d) & mask);
});

/** ARPL: raise the destination selector's RPL to the source's; ZF says whether it changed. */
defineSemantics(['arpl'], (form): Handler => {
  const dst = operandGetter(form, 0), src = operandGetter(form, 1), set = operandSetter(form, 0);
  return (c, d) => {
    const x = dst(c, d), rpl = src(c, d) & 3;
    if ((x & 3) < rpl) {
      set(c, d, (x & ~3) | rpl);
      c.flags.set(ZF, ZF);
    } else {
      c.flags.set(ZF, 0);
    }
  };
});
