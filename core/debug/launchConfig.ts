// The launch configuration (debug type `ringlab`), checked field by field: every error names the
// field it is about, so the editor can say which line of launch.json to fix.

import { parseHypervisorType, parseMode, MODES, type HypervisorType, type Mode } from '../run/modes';

export interface LaunchConfig {
  /** The guest: `.gasm`/`.asm` source or a flat binary. */
  readonly program: string;
  readonly mode: Mode;
  readonly hypervisor: HypervisorType;
  /** RAM in MiB. */
  readonly memoryMiB?: number;
  readonly stopOnEntry: boolean;
  /** `hw`: VMCS controls, checked by the hypervisor when it starts. */
  readonly vmcs?: Readonly<Record<string, unknown>>;
  readonly maxInstructions?: number;
  /** Where guest output goes: the debug console (default), a terminal (the extension's setting;
   *  the adapter has no terminal yet and uses the debug console), or nowhere. */
  readonly console: 'debugConsole' | 'integratedTerminal' | 'none';
  /** Bytes queued on COM1 before the guest starts. */
  readonly consoleInput?: string;
  /** Fields that make no sense here but do no harm (a `vmcs` under another mode): told, not refused. */
  readonly warnings: readonly string[];
}

export type ConfigResult = { readonly ok: true; readonly config: LaunchConfig } | { readonly ok: false; readonly field: string; readonly message: string };

const fail = (field: string, message: string): ConfigResult => ({ ok: false, field, message: `${field}: ${message}` });

/** Checks the raw `launch` arguments. Unknown fields are ignored (VS Code adds its own). */
export function parseLaunchConfig(raw: unknown): ConfigResult {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) return fail('arguments', 'expected an object');
  const a = (raw ?? {}) as Record<string, unknown>;
  if (typeof a['program'] !== 'string' || a['program'].trim() === '') return fail('program', 'required: the path of a .gasm source or a flat binary');
  let mode: Mode = 'native';
  if (a['mode'] !== undefined) {
    const m = typeof a['mode'] === 'string' ? parseMode(a['mode']) : undefined;
    if (m === undefined) return fail('mode', `unknown mode ${JSON.stringify(a['mode'])}; one of ${MODES.join(', ')} (or trap, bt, pv, hw)`);
    mode = m;
  }
  let hypervisor: HypervisorType = 'type1';
  if (a['hypervisor'] !== undefined) {
    const h = typeof a['hypervisor'] === 'string' ? parseHypervisorType(a['hypervisor']) : undefined;
    if (h === undefined) return fail('hypervisor', `expected "type1" or "type2", got ${JSON.stringify(a['hypervisor'])}`);
    hypervisor = h;
  }
  const memory = a['memory'];
  if (memory !== undefined && (typeof memory !== 'number' || !Number.isInteger(memory) || memory < 1 || memory > 3072)) {
    return fail('memory', `expected a whole number of MiB from 1 to 3072, got ${JSON.stringify(memory)}`);
  }
  const stopOnEntry = a['stopOnEntry'];
  if (stopOnEntry !== undefined && typeof stopOnEntry !== 'boolean') return fail('stopOnEntry', 'expected true or false');
  const max = a['maxInstructions'];
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return fail('maxInstructions', `expected a positive whole number, got ${JSON.stringify(max)}`);
  }
  const vmcs = a['vmcs'];
  if (vmcs !== undefined) {
    if (typeof vmcs !== 'object' || vmcs === null || Array.isArray(vmcs)) return fail('vmcs', 'expected an object of VMCS controls');
  }
  const warnings = vmcs !== undefined && mode !== 'hardware-assisted' ? [`vmcs: ignored, VMCS controls apply to mode hardware-assisted (hw) only, not ${mode}`] : [];
  const consoleKind = a['console'];
  if (consoleKind !== undefined && consoleKind !== 'debugConsole' && consoleKind !== 'integratedTerminal' && consoleKind !== 'none') {
    return fail('console', `expected "debugConsole", "integratedTerminal" or "none", got ${JSON.stringify(consoleKind)}`);
  }
  const input = a['consoleInput'];
  if (input !== undefined && typeof input !== 'string') return fail('consoleInput', 'expected a string');
  return {
    ok: true,
    config: {
      program: a['program'], mode, hypervisor, stopOnEntry: stopOnEntry === true, warnings,
      console: consoleKind === 'none' || consoleKind === 'integratedTerminal' ? consoleKind : 'debugConsole',
      ...(memory !== undefined ? { memoryMiB: memory as number } : {}),
      ...(max !== undefined ? { maxInstructions: max as number } : {}),
      ...(vmcs !== undefined && mode === 'hardware-assisted' ? { vmcs: vmcs as Record<string, unknown> } : {}),
      ...(input !== undefined ? { consoleInput: input as string } : {}),
    },
  };
}
