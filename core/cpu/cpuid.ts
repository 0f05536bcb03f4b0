// CPUID: what this CPU says it is. Vendor "RingLabVCPU " and only the features it implements:
// no x87 FPU (the table has no x87 instructions, so FPU = 0 and guests must not use it), PSE,
// TSC, MSR, CX8, PGE, CMOV, DE, PSE-36 (as qemu32: 4 MiB PDE bits 20:13 address memory above
// 4 GiB, which this machine does not have); no PAE, APIC, SEP, MMX or SSE.

/** The 12-byte vendor string, returned in EBX, EDX, ECX. */
export const CPUID_VENDOR = 'RingLabVCPU ';
export const CPUID_BRAND = 'RingLab virtual x86-32 CPU';

/** Leaf 1 EDX feature bits (SDM vol. 2, CPUID, table 3-11). */
export const CPUID_FEATURES_EDX =
  (1 << 2) |  // DE: CR4.DE, DR4/DR5 undefined when set
  (1 << 3) |  // PSE: 4 MiB pages
  (1 << 4) |  // TSC: RDTSC, CR4.TSD
  (1 << 5) |  // MSR: RDMSR/WRMSR
  (1 << 8) |  // CX8: CMPXCHG8B
  (1 << 13) | // PGE: global pages
  (1 << 15) | // CMOV
  (1 << 17);  // PSE-36

/** Family 6, model 1, stepping 1 (a Pentium Pro shape: what the features above imply). */
export const CPUID_SIGNATURE = 0x00000611;

const MAX_BASIC_LEAF = 1;
const MAX_EXTENDED_LEAF = 0x80000004;

function dword(s: string, at: number): number {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = (v << 8) | (s.charCodeAt(at + i) || 0);
  return v >>> 0;
}

/** The four registers of leaf `leaf`, in the order EAX, EBX, ECX, EDX. */
export function cpuidLeaf(leaf: number, out: Uint32Array): void {
  leaf >>>= 0;
  out.fill(0);
  // Like Intel CPUs, a leaf above the maximum answers as the highest basic leaf.
  if ((leaf > MAX_BASIC_LEAF && leaf < 0x80000000) || leaf > MAX_EXTENDED_LEAF) leaf = MAX_BASIC_LEAF;
  switch (leaf) {
    case 0:
      out[0] = MAX_BASIC_LEAF;
      out[1] = dword(CPUID_VENDOR, 0); out[3] = dword(CPUID_VENDOR, 4); out[2] = dword(CPUID_VENDOR, 8);
      return;
    case 1:
      out[0] = CPUID_SIGNATURE;
      out[3] = CPUID_FEATURES_EDX;
      return;
    case 0x80000000:
      out[0] = MAX_EXTENDED_LEAF;
      return;
    case 0x80000002: case 0x80000003: case 0x80000004: {
      const base = (leaf - 0x80000002) * 16;
      for (let i = 0; i < 4; i++) out[i] = dword(CPUID_BRAND, base + i * 4);
      return;
    }
    default:
  }
}
