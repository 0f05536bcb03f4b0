; Data, numbers, strings, expressions, align/alignb, times, sections laid out like nasm -f bin.
bits 32
org 0x7c00
section .text
entry:
    mov esi, msg
    mov edi, buffer
    mov ecx, msg_len
    rep movsb
    jmp done
    align 16
done:
    hlt
msg: db "Hello, RingLab", 13, 10, `tab\there\0`, 'single'
msg_len equ $ - msg
numbers:
    db 0x10, 10h, 0b1010, 1010b, 0o17, 17q, 1_000 & 0xff, 0x1_0, $1f
    dw 'abc', 0xffff, -1, 'a'
    dd 1+2*3, (1+2)*3, 7/2, -7//2, 10 %% 3, 1<<4, 256>>4, -1>>>60
    dd 5 & 3, 5 | 3, 5 ^ 3, ~0, !0, !5, 3 == 3, 3 != 3, 3 < 4, 4 <= 3, 5 > 4, 5 >= 6, 3 <> 3
    dd 1 && 0, 1 || 0, 1 ^^ 1, 1 ? 5 : 6, 0 ? 5 : 6
    dq 0x123456789abcdef0, -1
    dd 'ab' + 1
    alignb 8
    db 1
    align 4, db 0xee
    db 2
section .data
counter: dd 0
    align 8
table: times 4 dw $ - table
section .rodata align=16
ro: db "ro"
section .bss
buffer: resb 64
stack: resd 16
stack_top:
section .text
    mov eax, stack_top
    mov eax, [counter]
    mov eax, ro
    times 8 - ($ - $$) % 8 nop
