// The VMCS controls a user sets in the launch configuration (DESIGN, "Hardware-assisted"):
// parsing and validation, the defaults, the controls in effect once the VMM has added what its
// paging technique needs (as KVM does), and the control words the hardware would hold.

import { VECTOR_NAMES } from '../cpu/cpuFault';

export type IoExiting = 'unconditional' | 'bitmap' | 'off';

/** The launch configuration's controls, as the user gave them (defaults filled in). */
export interface VmcsControls {
  readonly hltExiting: boolean;
  readonly cr3LoadExiting: boolean;
  readonly cr3StoreExiting: boolean;
  readonly ioExiting: IoExiting;
  /** Ports whose access exits when ioExiting is 'bitmap' (the VMCS's I/O bitmaps A and B). */
  readonly ioBitmap: readonly number[];
  /** Exception vectors (0-31) that exit before the guest's IDT sees them. */
  readonly exceptionBitmap: readonly number[];
  readonly ept: boolean;
  readonly interruptWindowExiting: boolean;
}

/**
 * Defaults, as a teacher expects to see VT-x behave out of the box (and as KVM runs a guest):
 * HLT exits (the VMM deschedules an idle vCPU), every port access exits to the emulated devices,
 * EPT on, so CR3 accesses do not exit (KVM turns CR3 and INVLPG exiting off with EPT), no
 * exception exits, and an interrupt that had to wait for the guest's IF shows its window exit.
 * With `ept: false` the CR3 exiting defaults become true (shadow paging needs them).
 */
export const DEFAULT_VMCS_CONTROLS: VmcsControls = {
  hltExiting: true,
  cr3LoadExiting: false,
  cr3StoreExiting: false,
  ioExiting: 'unconditional',
  ioBitmap: [],
  exceptionBitmap: [],
  ept: true,
  interruptWindowExiting: true,
};

const CONTROL_NAMES = Object.keys(DEFAULT_VMCS_CONTROLS) as (keyof VmcsControls)[];
const PF_VECTOR = 14;

/** What the hardware does once the VMM has forced on what its paging needs. */
export interface EffectiveControls extends VmcsControls {
  /** EPT off: INVLPG exits (the shadow page table must drop the entry); EPT on: it does not. */
  readonly invlpgExiting: boolean;
  /** Bit per vector, the VMCS's 32-bit exception bitmap (with #PF forced in without EPT). */
  readonly exceptionMask: number;
}

export type ParsedControls = { readonly controls: EffectiveControls } | { readonly error: string };

/** The user's controls (undefined: every default), checked field by field; an error names the field. */
export function parseVmcsControls(raw: Readonly<Record<string, unknown>> | undefined): ParsedControls {
  const given = raw ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return { error: 'vmcs: expected an object of VMCS controls' };
  for (const key of Object.keys(given)) {
    if (!(CONTROL_NAMES as string[]).includes(key)) {
      return { error: `vmcs.${key}: unknown VMCS control; the controls are ${CONTROL_NAMES.join(', ')}` };
    }
  }
  const flag = (name: 'hltExiting' | 'cr3LoadExiting' | 'cr3StoreExiting' | 'ept' | 'interruptWindowExiting', fallback: boolean): boolean | string => {
    const v = given[name];
    if (v === undefined) return fallback;
    return typeof v === 'boolean' ? v : `vmcs.${name}: expected true or false, got ${show(v)}`;
  };
  const ept = flag('ept', DEFAULT_VMCS_CONTROLS.ept);
  if (typeof ept === 'string') return { error: ept };
  const flags = {
    hltExiting: flag('hltExiting', DEFAULT_VMCS_CONTROLS.hltExiting),
    cr3LoadExiting: flag('cr3LoadExiting', !ept),
    cr3StoreExiting: flag('cr3StoreExiting', !ept),
    interruptWindowExiting: flag('interruptWindowExiting', DEFAULT_VMCS_CONTROLS.interruptWindowExiting),
  };
  for (const v of Object.values(flags)) if (typeof v === 'string') return { error: v };
  const { hltExiting, cr3LoadExiting, cr3StoreExiting, interruptWindowExiting } = flags as Record<keyof typeof flags, boolean>;
  if (!ept && !cr3LoadExiting) {
    return { error: 'vmcs.cr3LoadExiting: must be true when ept is false (shadow paging must see every guest CR3 load to switch shadow page tables)' };
  }
  if (!ept && !cr3StoreExiting) {
    return { error: 'vmcs.cr3StoreExiting: must be true when ept is false (the hardware CR3 holds the shadow page table; the guest must read its own)' };
  }

  const ioParsed = parseIoExiting(given['ioExiting']);
  if ('error' in ioParsed) return ioParsed;
  const io = ioParsed.value;
  const ports = parseList(given['ioBitmap'], 'ioBitmap', 0, 0xffff, 'a port (0 to 0xFFFF)', {});
  if (typeof ports === 'string') return { error: ports };
  if (io === 'bitmap' && given['ioBitmap'] === undefined) {
    return { error: "vmcs.ioBitmap: ioExiting 'bitmap' needs the ports that exit, e.g. \"ioBitmap\": [\"0x3F8\", \"0xF4\"]" };
  }
  if (io !== 'bitmap' && given['ioBitmap'] !== undefined) {
    return { error: `vmcs.ioBitmap: only used with ioExiting 'bitmap' (ioExiting is '${io}')` };
  }
  const vectors = parseList(given['exceptionBitmap'], 'exceptionBitmap', 0, 31, 'an exception vector (0 to 31)', VECTOR_NAMES);
  if (typeof vectors === 'string') return { error: vectors };

  let exceptionMask = 0;
  for (const v of vectors) exceptionMask |= 1 << v;
  if (!ept) exceptionMask |= 1 << PF_VECTOR;
  return {
    controls: {
      hltExiting, cr3LoadExiting, cr3StoreExiting, interruptWindowExiting, ept,
      ioExiting: io, ioBitmap: ports, exceptionBitmap: vectors,
      invlpgExiting: !ept, exceptionMask: exceptionMask >>> 0,
    },
  };
}

function parseIoExiting(v: unknown): { value: IoExiting } | { error: string } {
  if (v === undefined) return { value: DEFAULT_VMCS_CONTROLS.ioExiting };
  if (v === true) return { value: 'unconditional' };
  if (v === false) return { value: 'off' };
  if (v === 'unconditional' || v === 'bitmap' || v === 'off') return { value: v };
  return { error: `vmcs.ioExiting: expected 'unconditional', 'bitmap' or 'off', got ${show(v)}` };
}

/** A list of whole numbers in [min, max]: numbers, "0x.." or decimal strings, or names from `names`. */
function parseList(v: unknown, field: string, min: number, max: number, what: string, names: Readonly<Record<number, string>>): number[] | string {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return `vmcs.${field}: expected a list of ${what}s, got ${show(v)}`;
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const n = wholeNumber(v[i], names);
    if (n === undefined || n < min || n > max) return `vmcs.${field}[${i}]: ${show(v[i])} is not ${what}`;
    if (!out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

function wholeNumber(v: unknown, names: Readonly<Record<number, string>>): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  if (/^0x[0-9a-f]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^[0-9]+$/.test(t)) return Number(t);
  for (const [n, name] of Object.entries(names)) {
    if (name.toLowerCase() === t || name.slice(1).toLowerCase() === t) return Number(n);
  }
  return undefined;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

// ---- the control words (bit positions from Linux vmxfeatures.h, shared/REFERENCES.md) ----------

const PRIMARY = { INTR_WINDOW: 2, HLT: 7, INVLPG: 9, CR3_LOAD: 15, CR3_STORE: 16, UNCOND_IO: 24, IO_BITMAPS: 25, SECONDARY: 31 } as const;
const SECONDARY = { EPT: 1 } as const;

export interface ControlWords {
  /** Pin-based: 0 (no external-interrupt exiting: the timer and UART are the VMM's emulated
   *  devices, their interrupts are injected at VM entry rather than taken by the host). */
  readonly pinBased: number;
  readonly primary: number;
  readonly secondary: number;
  readonly exceptionBitmap: number;
}

export function controlWords(c: EffectiveControls): ControlWords {
  let primary = 0;
  const set = (on: boolean, bit: number): void => { if (on) primary |= 1 << bit; };
  set(c.interruptWindowExiting, PRIMARY.INTR_WINDOW);
  set(c.hltExiting, PRIMARY.HLT);
  set(c.invlpgExiting, PRIMARY.INVLPG);
  set(c.cr3LoadExiting, PRIMARY.CR3_LOAD);
  set(c.cr3StoreExiting, PRIMARY.CR3_STORE);
  set(c.ioExiting === 'unconditional', PRIMARY.UNCOND_IO);
  set(c.ioExiting === 'bitmap', PRIMARY.IO_BITMAPS);
  set(c.ept, PRIMARY.SECONDARY);
  return { pinBased: 0, primary: primary >>> 0, secondary: c.ept ? 1 << SECONDARY.EPT : 0, exceptionBitmap: c.exceptionMask };
}
