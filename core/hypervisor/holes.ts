// What a non-virtualizable instruction shows a kernel deprivileged to ring 1, against what it
// would have seen at ring 0 on its own machine: the detail of a trap-and-emulate hole. Keyed by
// mnemonic because each of Robin and Irvine's instructions betrays a different piece of state;
// which forms are sensitive comes from the instruction table, not from here.

import { EFLAGS, CR0 } from '../cpu/cpuState';
import type { Decoded } from '../disasm/decoded';
import type { VmmContext } from './engine';

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
const SEGMENT_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];

/** The hole's detail for `d`, executed by the kernel at ring 1 (state before it runs). */
export function describeHole(vmm: VmmContext, d: Decoded): string {
  const { cpu, vcpu } = vmm;
  const st = cpu.state;
  const m = d.form!.mnemonic;
  switch (m) {
    case 'sgdt':
      return `stores the VMM's GDTR (base ${hex(st.gdtr.base)}, limit ${hex(st.gdtr.limit)}); the guest's is base ${hex(vcpu.gdtr.base)}, limit ${hex(vcpu.gdtr.limit)}`;
    case 'sidt':
      return `stores the VMM's IDTR (base ${hex(st.idtr.base)}, limit ${hex(st.idtr.limit)}); the guest's is base ${hex(vcpu.idtr.base)}, limit ${hex(vcpu.idtr.limit)}`;
    case 'str':
      return `stores the VMM's task register ${hex(st.tr.selector)}; the guest loaded ${hex(vcpu.tr.selector)}`;
    case 'sldt':
      return `stores the LDTR selector ${hex(st.ldtr.selector)} (the VMM leaves the guest's LDT in place: same value, but unchecked by the VMM)`;
    case 'smsw':
      return `stores the hardware's machine status word ${hex(st.cr0 & 0xffff)} (TS set by the VMM); the guest's is ${hex(vcpu.vcr0 & 0xffff)}`;
    case 'pushfd': case 'pushfw': {
      const flags = cpu.getEflags();
      const hwIf = (flags & EFLAGS.IF) !== 0;
      const hwIopl = (flags & EFLAGS.IOPL) >>> 12;
      return `pushes the hardware's IF=${hwIf ? 1 : 0} IOPL=${hwIopl}; the guest's are IF=${vcpu.vif ? 1 : 0} IOPL=${vcpu.viopl}` +
        (hwIf === vcpu.vif && hwIopl === vcpu.viopl ? ' (the same this time)' : '');
    }
    case 'popfd': case 'popfw': {
      const popped = cpu.read32(2, st.regs[4]! >>> 0);
      const want = (popped & EFLAGS.IF) !== 0;
      return `at CPL 1 POPF keeps IF: the guest asked for IF=${want ? 1 : 0}, its virtual IF stays ${vcpu.vif ? 1 : 0}` +
        (want !== vcpu.vif ? ' (lost: no trap told the VMM)' : ' (no change this time)');
    }
    case 'push': case 'mov': case 'pop': {
      const seg = segmentOperand(d);
      const load = m === 'pop' || (m === 'mov' && d.form!.operands[0] === 'sreg');
      if (load) {
        return `loading ${SEGMENT_NAMES[seg] ?? 'a segment register'} checks the descriptor against CPL 1 (kernel descriptors are DPL 1 in the shadow GDT)` +
          (seg === 2 ? '; SS must have RPL 1, so a kernel selector with RPL 0 faults and the VMM emulates the load' : '');
      }
      if (seg === 1 || seg === 2) {
        const sel = st.segs[seg]!.selector;
        return `reading ${SEGMENT_NAMES[seg]} gives selector ${hex(sel)} with RPL ${sel & 3}; the guest's kernel expects RPL ${vcpu.vcpl}`;
      }
      return `${m} ${SEGMENT_NAMES[seg] ?? 'segment'} shows the selector the guest loaded (RPL unchanged: no divergence this time)`;
    }
    case 'lar': case 'lsl': case 'verr': case 'verw':
      return `the descriptor check uses CPL 1, not the guest's CPL ${vcpu.vcpl}: DPL 0 descriptors answer differently`;
    case 'call': case 'jmp': case 'retf':
      return `the far transfer checks privilege against CPL 1 and gives CS RPL 1; the guest believes CPL ${vcpu.vcpl}`;
    case 'int': case 'int3': case 'into':
      return `the software interrupt checks the gate's DPL against CPL 1 (the VMM forwards it to the guest's IDT)`;
    default:
      return `runs at CPL 1 without trapping (CR0.PE=${(st.cr0 & CR0.PE) ? 1 : 0}); its answer may differ from ring 0`;
  }
}

/** The segment register a PUSH/POP/MOV form names (its `sreg` operand), or -1. */
function segmentOperand(d: Decoded): number {
  const form = d.form!;
  const i = form.operands.indexOf('sreg');
  if (i >= 0) return d.reg;
  // push es / pop ds etc.: the register is in the opcode (one-operand forms named by the table).
  const name = form.operands[0];
  return SEGMENT_NAMES.indexOf(typeof name === 'string' ? name : '');
}
