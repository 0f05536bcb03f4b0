// Checks and completes a `ringlab` launch configuration before VS Code starts the adapter:
// F5 with no launch.json gets the current file and the default mode, and a mistyped field is
// reported with its name instead of a failed session. No vscode import (tested in test/extension).
// The adapter validates again (and the VMCS controls in depth): it also serves other clients.

import { MODE_ALIASES, parseHypervisorType, parseMode } from '../core/run/modes';

export interface LaunchDefaults {
  readonly program?: string;
  readonly mode: string;
  readonly hypervisor: string;
}

export type Launch = Record<string, unknown> & { type: string; request: string; name: string; program: string };

export type Checked = { readonly config: Launch } | { readonly error: string };

/** Fills what is missing from the defaults (the empty configuration of F5 included) and checks types. */
export function completeLaunch(raw: Readonly<Record<string, unknown>>, defaults: LaunchDefaults): Checked {
  const empty = raw['type'] === undefined && raw['request'] === undefined && raw['name'] === undefined;
  const config: Record<string, unknown> = { ...raw };
  if (empty) {
    if (defaults.program === undefined) return { error: 'Open a guest (.gasm) file to debug it, or add a launch configuration with a program.' };
    Object.assign(config, { type: 'ringlab', request: 'launch', name: 'Debug guest', program: defaults.program, stopOnEntry: true });
  }
  config['type'] ??= 'ringlab';
  config['request'] ??= 'launch';
  config['name'] ??= 'Debug guest';
  if (config['request'] !== 'launch') return { error: `request: RingLab can only launch a guest ('launch'), not '${String(config['request'])}'` };
  if (config['program'] === undefined) {
    if (defaults.program === undefined) return { error: 'program: missing; name the guest (.gasm or binary) to run, e.g. "${file}"' };
    config['program'] = defaults.program;
  }
  if (typeof config['program'] !== 'string' || config['program'].trim() === '') return { error: 'program: expected the path of a guest (.gasm or binary)' };

  const mode = config['mode'] ?? defaults.mode;
  if (typeof mode !== 'string' || parseMode(mode) === undefined) {
    return { error: `mode: '${String(mode)}' is not a mode; expected one of ${Object.keys(MODE_ALIASES).join(', ')}` };
  }
  config['mode'] = parseMode(mode);
  const hypervisor = config['hypervisor'] ?? defaults.hypervisor;
  if (typeof hypervisor !== 'string' || parseHypervisorType(hypervisor) === undefined) {
    return { error: `hypervisor: '${String(hypervisor)}' is not a hypervisor type; expected type1 or type2` };
  }
  config['hypervisor'] = parseHypervisorType(hypervisor);

  for (const field of ['memory', 'maxInstructions'] as const) {
    const v = config[field];
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)) {
      return { error: `${field}: expected a positive whole number${field === 'memory' ? ' of MiB' : ''}, got ${JSON.stringify(v)}` };
    }
  }
  if (config['stopOnEntry'] !== undefined && typeof config['stopOnEntry'] !== 'boolean') return { error: 'stopOnEntry: expected true or false' };
  const vmcs = config['vmcs'];
  if (vmcs !== undefined && (typeof vmcs !== 'object' || vmcs === null || Array.isArray(vmcs))) return { error: 'vmcs: expected an object of VMCS controls' };
  const consoleKind = config['console'];
  if (consoleKind !== undefined && consoleKind !== 'debugConsole' && consoleKind !== 'integratedTerminal') {
    return { error: `console: expected debugConsole or integratedTerminal, got ${JSON.stringify(consoleKind)}` };
  }
  return { config: config as Launch };
}
