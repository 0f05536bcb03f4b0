// Exception breakpoint filters: stop when the VMM traps a privileged instruction, records a hole,
// takes a VM exit (optionally only some reasons), handles a hypercall (optionally some numbers),
// translates a block, or when a guest exception is delivered (optionally some vectors).

import { VECTOR_NAMES } from '../cpu/cpuFault';
import { EXIT_REASON_NAMES, type VmmEvent } from '../hypervisor';
import { hypercallName } from '../hypervisor/hypercalls';
import type { Mode } from '../run/modes';
import type { StopInfo } from './debugRun';

export interface ExceptionFilterInfo {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** The modes where the filter can fire (all when undefined). */
  readonly modes?: readonly Mode[];
  readonly conditionDescription?: string;
}

export const EXCEPTION_FILTERS: readonly ExceptionFilterInfo[] = [
  { id: 'privileged', label: 'Privileged instruction trapped', description: 'The VMM traps (trap) or calls out (bt) for a privileged instruction', modes: ['trap-and-emulate', 'binary-translation'] },
  { id: 'hole', label: 'Hole (non-virtualizable instruction)', description: 'A sensitive instruction ran at ring 1 without trapping', modes: ['trap-and-emulate'] },
  { id: 'vmexit', label: 'VM exit', description: 'A VM exit (hw); the condition lists exit reasons', modes: ['hardware-assisted'], conditionDescription: 'exit reasons, e.g. "12, IO_INSTRUCTION"' },
  { id: 'hypercall', label: 'Hypercall', description: 'A hypercall (pv); the condition lists hypercall numbers', modes: ['paravirtual'], conditionDescription: 'hypercall numbers, e.g. "18, 29"' },
  { id: 'translation', label: 'Block translated', description: 'The binary translator made a translation unit (bt)', modes: ['binary-translation'] },
  { id: 'guest-exception', label: 'Guest exception delivered', description: 'An exception (#GP, #PF, ...) reaches the guest\'s IDT; the condition lists vectors', conditionDescription: 'vectors, e.g. "#PF, 13"' },
];

export interface ExceptionFilterRequest { readonly filterId: string; readonly condition?: string }

export function guestExceptionName(vector: number): string {
  return VECTOR_NAMES[vector] ?? `vector ${vector}`;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

export class ExceptionFilters {
  /** Enabled filters, each with the set of numbers its condition allows (null: any). */
  private enabled = new Map<string, Set<number> | null>();

  set(requests: readonly ExceptionFilterRequest[], mode: Mode): { verified: boolean; message?: string }[] {
    this.enabled = new Map();
    return requests.map((r) => {
      const info = EXCEPTION_FILTERS.find((f) => f.id === r.filterId);
      if (info === undefined) return { verified: false, message: `unknown exception filter '${r.filterId}'` };
      let allowed: Set<number> | null = null;
      if (r.condition !== undefined && r.condition.trim() !== '') {
        const parsed = parseList(r.condition, r.filterId);
        if (typeof parsed === 'string') return { verified: false, message: parsed };
        allowed = parsed;
      }
      this.enabled.set(r.filterId, allowed);
      if (info.modes !== undefined && !info.modes.includes(mode)) {
        return { verified: false, message: `'${info.label}' never fires under ${mode} (only ${info.modes.join(', ')})` };
      }
      return { verified: true };
    });
  }

  matchVmmEvent(e: VmmEvent): StopInfo | null {
    const id = e.kind === 'trap' || e.kind === 'callout' ? 'privileged' : e.kind === 'exit' ? 'vmexit' : e.kind === 'hypercall' ? 'hypercall'
      : e.kind === 'hole' ? 'hole' : e.kind === 'translation' ? 'translation' : undefined;
    if (id === undefined || !this.enabled.has(id)) return null;
    const allowed = this.enabled.get(id)!;
    if (allowed !== null) {
      const n = id === 'vmexit' ? e.reason : id === 'hypercall' ? hypercallNumber(e) : undefined;
      if (n === undefined || !allowed.has(n)) return null;
    }
    return { reason: 'exception', description: describe(e), text: e.detail, exception: { id, description: describe(e), details: details(e), event: e } };
  }

  matchGuestException(vector: number, errorCode: number, eip: number): StopInfo | null {
    if (!this.enabled.has('guest-exception')) return null;
    const allowed = this.enabled.get('guest-exception')!;
    if (allowed !== null && !allowed.has(vector)) return null;
    const name = guestExceptionName(vector);
    const description = `${name} delivered to the guest (error code ${hex(errorCode)}) from ${hex(eip)}`;
    return { reason: 'exception', description, text: name, exception: { id: 'guest-exception', description, details: `vector ${vector} ${name}, error code ${hex(errorCode)}, faulting EIP ${hex(eip)}` } };
  }
}

/** The hypercall's number from its event (`console_io(0x0, ...) = 0`, or `hypercall 99(...)`). */
function hypercallNumber(e: VmmEvent): number | undefined {
  const unknown = /^hypercall (\d+)/.exec(e.detail);
  if (unknown !== null) return Number(unknown[1]);
  const name = /^(\w+)\(/.exec(e.detail)?.[1];
  for (let nr = 0; nr < 64 && name !== undefined; nr++) if (hypercallName(nr) === name) return nr;
  return undefined;
}

function describe(e: VmmEvent): string {
  const at = `at ${hex(e.eip)}${e.instruction !== undefined ? ` (${e.instruction})` : ''}`;
  switch (e.kind) {
    case 'trap': return `Privileged instruction trapped ${at}`;
    case 'callout': return `Call-out to the VMM ${at}`;
    case 'hole': return `Hole: non-virtualizable instruction ${at}`;
    case 'translation': return `Block translated ${at}`;
    case 'hypercall': return `Hypercall ${at}`;
    case 'exit': return `VM exit ${e.reason ?? '?'} ${EXIT_REASON_NAMES[e.reason ?? -1] ?? ''} ${at}`.replace(/\s+/g, ' ');
    default: return `${e.kind} ${at}`;
  }
}

function details(e: VmmEvent): string {
  const parts = [e.detail];
  if (e.kind === 'exit') parts.push(`exit reason ${e.reason ?? '?'} (${EXIT_REASON_NAMES[e.reason ?? -1] ?? 'unknown'}), qualification ${hex(e.qualification ?? 0)}`);
  if (e.instruction !== undefined) parts.push(`instruction: ${e.instruction}`);
  return parts.join('\n');
}

/** "12, HLT, #PF, 0x0e" into numbers; exit reason and vector names are accepted. */
function parseList(text: string, filterId: string): Set<number> | string {
  const out = new Set<number>();
  for (const raw of text.split(/[\s,]+/).filter((t) => t !== '')) {
    const t = raw.toUpperCase();
    let n: number | undefined;
    if (/^(0X[0-9A-F]+|\d+)$/.test(t)) n = Number(t.startsWith('0X') ? parseInt(t.slice(2), 16) : t);
    else if (filterId === 'vmexit') n = Number(Object.entries(EXIT_REASON_NAMES).find(([, name]) => name === t)?.[0] ?? NaN);
    else if (filterId === 'guest-exception') n = Number(Object.entries(VECTOR_NAMES).find(([, name]) => name === t || name === `#${t}`)?.[0] ?? NaN);
    if (n === undefined || Number.isNaN(n)) return `condition of '${filterId}': '${raw}' is not a number${filterId === 'vmexit' ? ' or an exit reason name' : filterId === 'guest-exception' ? ' or a vector name like #PF' : ''}`;
    out.add(n);
  }
  return out;
}
