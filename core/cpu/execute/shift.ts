// Semantics of the shifts and rotates (ROL ROR RCL RCR SHL SHR SAR) and the double shifts
// (SHLD SHRD). The count is masked to 5 bits as on every CPU since the 286; a masked count of 0
// changes neither the operand nor any flag (and the operand is not written back at all).
// OF is computed as the SDM defines it for a count of 1 and kept for larger counts; AF after a
// shift is cleared. Both are undefined there, and the conformance test masks them.

import type { Form } from '../../isa';
import { EFLAGS } from '../cpuState';
import { operandBits, operandGetter, operandSetter, signExtend, widthMask } from '../operands';
import { defineSemantics, type Handler } from './registry';

const { CF, OF, AF } = EFLAGS;
const CF_OF = CF | OF;
const SHIFT_FLAGS = CF | OF | AF;

function parts(form: Form, countIndex: number): { bits: number; mask: number; get: ReturnType<typeof operandGetter>; set: ReturnType<typeof operandSetter>; count: ReturnType<typeof operandGetter> } {
  const bits = operandBits(form, 0);
  return { bits, mask: widthMask(bits), get: operandGetter(form, 0), set: operandSetter(form, 0), count: operandGetter(form, countIndex) };
}

defineSemantics(['rol'], (form): Handler => {
  const { bits, mask, get, set, count } = parts(form, 1);
  const top = bits - 1;
  return (c, d) => {
    const n = count(c, d) & 0x1f;
    if (n === 0) return;
    const x = get(c, d), k = n & top;
    const r = k === 0 ? x : ((x << k) | (x >>> (bits - k))) & mask;
    if (k !== 0) set(c, d, r);
    const cf = r & 1;
    c.flags.set(CF_OF, (cf ? CF : 0) | (((r >>> top) & 1) ^ cf ? OF : 0));
  };
});

defineSemantics(['ror'], (form): Handler => {
  const { bits, mask, get, set, count } = parts(form, 1);
  const top = bits - 1;
  return (c, d) => {
    const n = count(c, d) & 0x1f;
    if (n === 0) return;
    const x = get(c, d), k = n & top;
    const r = k === 0 ? x : ((x >>> k) | (x << (bits - k))) & mask;
    if (k !== 0) set(c, d, r);
    const msb = (r >>> top) & 1;
    c.flags.set(CF_OF, (msb ? CF : 0) | (msb ^ ((r >>> (top - 1)) & 1) ? OF : 0));
  };
});

defineSemantics(['rcl'], (form): Handler => {
  const { bits, mask, get, set, count } = parts(form, 1);
  const top = bits - 1;
  return (c, d) => {
    const n = count(c, d) & 0x1f;
    if (n === 0) return;
    const k = bits === 32 ? n : n % (bits + 1); // rotation through CF is bits+1 wide
    const x = get(c, d), cfIn = c.flags.cf() ? 1 : 0;
    let r = x, cf = cfIn;
    if (k !== 0) {
      r = ((x << k) | (cfIn << (k - 1)) | (k === 1 ? 0 : x >>> (bits + 1 - k))) & mask;
      cf = (x >>> (bits - k)) & 1;
      set(c, d, r);
    }
    c.flags.set(CF_OF, (cf ? CF : 0) | (((r >>> top) & 1) ^ cf ? OF : 0));
  };
});

defineSemantics(['rcr'], (form): Handler => {
  const { bits, mask, get, set, count } = parts(form, 1);
  const top = bits - 1;
  return (c, d) => {
    const n = count(c, d) & 0x1f;
    if (n === 0) return;
    const k = bits === 32 ? n : n % (bits + 1);
    const x = get(c, d), cfIn = c.flags.cf() ? 1 : 0;
    let r = x, cf = cfIn;
    if (k !== 0) {
      const wrap = bits + 1 - k; // where the low bits land; 32 or more means nowhere
      r = ((x >>> k) | (cfIn << (bits - k)) | (wrap >= 32 ? 0 : x << wrap)) & mask;
      cf = (x >>> (k - 1)) & 1;
      set(c, d, r);
    }
    c.flags.set(CF_OF, (cf ? CF : 0) | (((r >>> top) ^ (r >>> (top - 1))) & 1 ? OF : 0));
  };
});

defineSemantics(['shl'], (form): Handler => {
  const { bits, mask, get, set, count } = parts(form, 1);
  const top = bits - 1;
  return (c, d) => {
    const n = count(c, d) & 0x1f;
    if (n === 0) return;
    const x = get(c, d), r = (x << n) & mask;
    set(c, d, r);
    const cf = n <= bits ? (x >>> (bits - n)) & 1 : 0;
    c.flags.resultWith(r, bits, SHIFT_FLAGS, (cf ? CF : 0) | (((r >>> top) & 1) ^ cf ? OF : 0));
  };
});

defineSemantics(['shr'], (form): Handler => {
  const { bits, get, set, count } = parts(form, 1);
  const top = bits - 1;
  return (c, d) => {
    const n = count(c, d) & 0x1f;
    if (n === 0) return;
    const x = get(c, d), r = x >>> n;
    set(c, d, r);
    c.flags.resultWith(r, bits, SHIFT_FLAGS, ((x >>> (n - 1)) & 1 ? CF : 0) | ((x >>> top) & 1 ? OF : 0));
  };
});

defineSemantics(['sar'], (form): Handler => {
  const { bits, mask, get, set, count } = parts(form, 1);
  return (c, d) => {
    const n = count(c, d) & 0x1f;
    if (n === 0) return;
    const x = signExtend(get(c, d), bits), r = (x >> n) & mask;
    set(c, d, r);
    c.flags.resultWith(r, bits, SHIFT_FLAGS, (x >> (n - 1)) & 1 ? CF : 0);
  };
});

/**
 * SHLD/SHRD. For 16-bit operands a count above 16 is documented as undefined; RingLab does what
 * the AMD processors its conformance goldens come from do (measured: test/oracle/cpu-conformance):
 * the result is the source rotated by count - 16 and CF is cleared. (Intel shifts through the
 * 48-bit pattern dest:src:dest instead.)
 */
defineSemantics(['shld'], (form): Handler => {
  const { bits, mask, get, set, count } = parts(form, 2);
  const src = operandGetter(form, 1);
  const top = bits - 1;
  return (c, d) => {
    const n = count(c, d) & 0x1f;
    if (n === 0) return;
    const x = get(c, d), y = src(c, d);
    let r: number, cf: number;
    if (bits === 32) {
      r = (x << n) | (y >>> (32 - n));
      cf = (x >>> (32 - n)) & 1;
    } else if (n <= 16) {
      r = ((x << n) | (y >>> (16 - n))) & mask;
      cf = (x >>> (16 - n)) & 1;
    } else {
      r = ((y << (n - 16)) | (y >>> (32 - n))) & mask;
      cf = 0;
    }
    set(c, d, r);
    c.flags.resultWith(r, bits, SHIFT_FLAGS, (cf ? CF : 0) | (((r ^ x) >>> top) & 1 ? OF : 0));
  };
});

defineSemantics(['shrd'], (form): Handler => {
  const { bits, mask, get, set, count } = parts(form, 2);
  const src = operandGetter(form, 1);
  const top = bits - 1;
  return (c, d) => {
    const n = count(c, d) & 0x1f;
    if (n === 0) return;
    const x = get(c, d), y = src(c, d);
    let r: number, cf: number;
    if (bits === 32) {
      r = (x >>> n) | (y << (32 - n));
      cf = (x >>> (n - 1)) & 1;
    } else if (n <= 16) {
      r = ((x >>> n) | (y << (16 - n))) & mask;
      cf = (x >>> (n - 1)) & 1;
    } else {
      r = ((y >>> (n - 16)) | (y << (32 - n))) & mask;
      cf = 0;
    }
    set(c, d, r);
    c.flags.resultWith(r, bits, SHIFT_FLAGS, (cf ? CF : 0) | (((r ^ x) >>> top) & 1 ? OF : 0));
  };
});
