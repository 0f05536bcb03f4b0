; Labels that move in later passes. Forward jumps start short and become near once their target
; is known (pass 2); j2 becomes near only in pass 3, when j3's growth in pass 2 has pushed its
; target out of reach. Backward references after each move (instructions, data, and fixups into
; another section) must be encoded again, while those before the first move keep their bytes.
bits 32
org 0x7c00
start:
    mov eax, start          ; before any move: the same bytes every pass
    dd start, $
    push dword at_data
j1: jmp far1                ; pass 2: near (+3)
    times 60 nop
b1: dd b1, start, j1
    mov ebx, [b1 + 4]
    lea esi, [b1]
    jmp b1                  ; backward: short
j2: jmp t2                  ; short in pass 2 (124 ahead), near in pass 3 (130)
j3: jmp far3                ; pass 2: near (+3), which moves t2
    times 125 nop
t2: dd t2, j2, j3
    mov ecx, t2 - j2        ; a difference that changes in pass 3
    push t2
    times 100 nop
far1:
    times 40 nop
far3:
    dd far1, far3, $ - start
    cmp eax, far3 - far1
    jz start
section .data
at_data: dd start, b1, t2, far3, at_data
    db "end", 0
