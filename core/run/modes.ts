// The mode names `ringlab run` (and later the debugger and `compare`) accept: DESIGN's five
// modes with their aliases, and the hypervisor types.

export const MODES = ['native', 'trap-and-emulate', 'binary-translation', 'paravirtual', 'hardware-assisted'] as const;
export type Mode = (typeof MODES)[number];

export const MODE_ALIASES: Readonly<Record<string, Mode>> = {
  native: 'native',
  trap: 'trap-and-emulate', 'trap-and-emulate': 'trap-and-emulate',
  bt: 'binary-translation', 'binary-translation': 'binary-translation',
  pv: 'paravirtual', paravirtual: 'paravirtual',
  hw: 'hardware-assisted', 'hardware-assisted': 'hardware-assisted',
};

export const HYPERVISOR_TYPES = ['type1', 'type2'] as const;
export type HypervisorType = (typeof HYPERVISOR_TYPES)[number];

/** The mode a user typed (name or alias, any case), or undefined. */
export function parseMode(text: string): Mode | undefined {
  return MODE_ALIASES[text.trim().toLowerCase()];
}

export function parseHypervisorType(text: string): HypervisorType | undefined {
  const t = text.trim().toLowerCase();
  return (HYPERVISOR_TYPES as readonly string[]).includes(t) ? (t as HypervisorType) : undefined;
}

/** Whether this build can run a guest under `mode` (native always; the others once their
 *  engine has registered with core/hypervisor). */
export function modeAvailable(mode: Mode, engineAvailable: (mode: Mode) => boolean): boolean {
  return mode === 'native' || engineAvailable(mode);
}
