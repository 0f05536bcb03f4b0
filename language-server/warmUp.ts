// Warms the JIT while the server is idle after start-up: the first lint of a process runs the
// assembler's code cold (interpreted, then recompiled as it gets hot), several times slower than
// later ones. A few small lints of a typical program, one per event-loop turn, so a real request
// that arrives meanwhile waits for one round at most, and none once a document is open.

import { DocumentAnalysis } from '../core/lang';

const ROUNDS = 12;
const COPIES = 60;

/** A typical kernel fragment (labels, locals, memory operands, jumps, data, privileged code). */
const FRAGMENT = `
k{n}:
    push ebp
    mov ebp, esp
    mov eax, [ebp+8]
    lea esi, [msg{n}]
    xor ecx, ecx
.next:
    mov al, [esi+ecx]
    test al, al
    jz .done
    mov dx, 0x3F8
    out dx, al
    inc ecx
    cmp ecx, 64
    jb .next
.done:
    cli
    mov cr3, eax
    sti
    pushf
    pop eax
    and eax, 0x200
    shl eax, 2
    call k{n}.done
    mov esp, ebp
    pop ebp
    ret
msg{n}: db "warm", 0
`;

export function warmUpText(): string {
  let text = 'bits 32\norg 0x100000\n';
  for (let n = 0; n < COPIES; n++) text += FRAGMENT.replace(/\{n\}/g, String(n));
  return text;
}

/** Starts the rounds; `busy()` stops them (a document is open: real work warms the code too). */
export function warmUpWhileIdle(busy: () => boolean): void {
  const text = warmUpText();
  let round = 0;
  const step = (): void => {
    if (round++ >= ROUNDS || busy()) return;
    const a = new DocumentAnalysis('<warm-up>', text, { mode: 'paravirtual' });
    void a.lint.asm.sourceMap;
    setImmediate(step);
  };
  setImmediate(step);
}
