; Forward references and span-dependent jumps: short/near at the boundary, forward EQU,
; TIMES with $-dependent counts, labels in instructions (relocatable: no sbyte, disp32).
bits 32
org 0x100000
start:
    jmp fwd127              ; exactly 127 bytes ahead: short
    times 127 nop
fwd127:
    jmp fwd128              ; 128 bytes ahead: near
    times 128 nop
fwd128:
back:
    times 126 nop
    jmp back                ; -128: short
back2:
    times 127 nop
    jz back2                ; -129: near
    jz fwd_small
    add eax, FWD_EQU        ; forward EQU becomes a sign-extended byte
    add eax, FWD_BIG
    mov ebx, [esi+FWD_EQU]  ; forward EQU displacement becomes disp8
    mov ebx, [esi+data1]    ; a label is relocatable: disp32
    push data1              ; relocatable immediate: push imm32
    push FWD_EQU
    shl eax, ONE
    shl eax, THREE
    cmp eax, end - start    ; a difference of labels is a plain number
    loop start2
fwd_small:
    nop
start2:
    times (end_table - table) / 4 db 0xcc
table:
    dd start, fwd127, back, end
end_table:
    jmp short $+2
    jmp $
    call near start
    call 0x100000
    jmp 0x100010
    jcxz start2
    jecxz start2
data1: dd data1, $, $$, end - $$
FWD_EQU equ 8
FWD_BIG equ 1000
ONE equ 1
THREE equ 3
end:
