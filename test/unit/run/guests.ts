// Small guest programs for the run tests, as .gasm source: each does one thing a run must end
// cleanly on (print and exit, loop forever, triple-fault, jump into garbage, write outside RAM).

import { runGuest, type GuestOutcome, type GuestRunOptions } from '../../../core/run';

const PRELUDE = 'bits 32\norg 0x100000\n_start:\n';

/** Prints the zero-terminated string at ESI on COM1 (clobbers AL, DX, ESI). */
const PRINT = `
print:
  mov dx, 0x3F8
.next:
  mov al, [esi]
  test al, al
  jz .done
  out dx, al
  inc esi
  jmp .next
.done:
  ret
`;

export function guest(body: string, data = ''): string {
  return `${PRELUDE}${body}\n${PRINT}\n${data}\n`;
}

export const EXIT_WITH = (v: number): string => `  mov al, ${v}\n  out 0xF4, al\n  cli\n  hlt\n`;

export const SOURCES = {
  hello: guest(`  mov esi, msg\n  call print\n${EXIT_WITH(0)}`, 'msg: db "hi", 10, 0'),
  halt: guest('  cli\n  hlt'),
  endless: guest('.spin:\n  inc eax\n  jmp .spin'),
  /** An IDT with no room for any gate: the first exception cannot even become a #DF. */
  tripleFault: guest('  lidt [idtr]\n  int3', 'idtr: dw 0\n  dd 0'),
  /** Jumps past the end of RAM: fetches read 0x00 there, which decodes as add [eax], al. */
  jumpOutsideRam: guest('  jmp 0x7F000000'),
  writeOutsideRam: guest(`  mov dword [0x40000000], 0x12345678\n  mov esi, msg\n  call print\n${EXIT_WITH(2)}`, 'msg: db "still here", 10, 0'),
  /** Prints, computes for about `n` instructions, prints again: output must stream between. */
  twoPhases: (n: number): string => guest(
    `  mov esi, first\n  call print\n  mov ecx, ${Math.ceil(n / 2)}\n.l:\n  dec ecx\n  jnz .l\n  mov esi, second\n  call print\n${EXIT_WITH(0)}`,
    'first: db "first", 10, 0\nsecond: db "second", 10, 0'),
  /** Prints a byte every ~400 instructions, forever. */
  chatty: guest('.again:\n  mov ecx, 200\n.l:\n  dec ecx\n  jnz .l\n  mov dx, 0x3F8\n  mov al, "."\n  out dx, al\n  jmp .again'),
} as const;

/** `bytes` of pseudo-random garbage (deterministic) and a jump into them. */
export function garbageGuest(seed: number, bytes = 4096): string {
  let x = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out.push(x & 0xff);
  }
  const rows: string[] = [];
  for (let i = 0; i < out.length; i += 32) rows.push(`  db ${out.slice(i, i + 32).join(', ')}`);
  return `${PRELUDE}  jmp garbage\ngarbage:\n${rows.join('\n')}\n`;
}

export function runSource(source: string, options: GuestRunOptions = {}, name = 'guest.gasm'): GuestOutcome {
  return runGuest({ path: name, bytes: Buffer.from(source) }, options);
}
