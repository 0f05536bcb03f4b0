// The scenario kernel's body and data (see kernelScenario.test.ts), shared with the QEMU oracle.

import { toRing3, identityMapFirst4MiB, TIMER_ON } from './guestKernel';

export const SCENARIO_BODY = `
  ; identity-map 4 MiB for everyone, pt1 (linear 0x40000000) starts empty${identityMapFirst4MiB(7)}
  mov dword [pd + 0x100 * 4], pt1 + 7
  mov eax, pd
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80010000                 ; PG and WP
  mov cr0, eax
  ; gates: timer (0x20), page fault (14), system call (0x80)
  mov eax, timer_isr
  mov ebx, 0x20
  call set_gate
  mov eax, pf_isr
  mov ebx, 14
  call set_gate
  mov eax, syscall_isr
  mov ebx, 0x80
  call set_gate
  ; PIC: master at 0x20, only IRQ0; PIT channel 0, mode 2, ~1 ms${TIMER_ON}
${toRing3('user', 0x202)}
user:
  ; touch four unmapped pages: each write faults once and is mapped by pf_isr
  mov esi, 0x40000000
  mov ecx, 4
touch:
  mov [esi], ecx
  add esi, 0x1000
  loop touch
wait_ticks:
  cmp dword [ticks], 3
  jb wait_ticks
  mov eax, 1
  mov bl, 'O'
  int 0x80
  mov eax, 1
  mov bl, 'K'
  int 0x80
  mov eax, [0x40003000]              ; 1, written by the last iteration
  add eax, [0x40000000]              ; 4
  mov ebx, eax
  mov eax, 2
  int 0x80

timer_isr:
  push eax
  inc dword [ticks]
  mov al, 0x20
  out 0x20, al
  pop eax
  iretd

pf_isr:
  push eax
  push ebx
  mov eax, cr2
  shr eax, 12
  and eax, 0x3ff
  mov ebx, [next_frame]
  add dword [next_frame], 0x1000
  or ebx, 7
  mov [pt1 + eax * 4], ebx
  inc dword [faults]
  pop ebx
  pop eax
  add esp, 4                         ; the error code
  iretd

syscall_isr:
  cmp eax, 1
  jne .exit
  mov al, bl
  mov dx, 0x3f8
  out dx, al
  iretd
.exit:
  mov al, bl
  out 0xf4, al
  hlt`;

export const SCENARIO_DATA = `
ticks: dd 0
faults: dd 0
next_frame: dd frames
align 4096
pd: times 4096 db 0
pt0: times 4096 db 0
pt1: times 4096 db 0
frames: times 4 * 4096 db 0`;
