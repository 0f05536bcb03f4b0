; NASM's integer arithmetic is exact 64-bit: `/` and `%` are unsigned, `//` and `%%` signed,
; values past 2^53 keep every bit (equ constants too), and immediates take the low bits.
; Also NASM's reading of `'it''s'` in data: 'it' becomes a character constant and the rest of
; the line is ignored (a doubled quote is no escape).
bits 32
BIG equ 0x123456789abcdef1
        dd -7/2, -7//2, -7 % 2, -7 %% 2
        dq -7/2, -7//2
        dq 0x123456789abcdef1 * 3, BIG + 2, BIG * BIG
        dq 0x7fffffffffffffff + 0x7fffffffffffffff
        dq -1 % 10, ~0 / 3, (1 << 63) >> 3, (1 << 63) >>> 3, 1 << 63
        dd (1 << 62) * 4 + 5, 9007199254740993 - 9007199254740992
        dq 9007199254740993, 18446744073709551615
        mov eax, -7/2
        mov ebx, BIG
        push (BIG >> 40) & 0xff
        db 'it''s'
        db 'it''s', 0
        db "a""b", 1
        db 'x', 'yz'
; Undefined symbols cancel in a TIMES count, as in NASM's first pass.
        times tail_end - tail_start db 0x90
tail_start: dd 1
tail_end:
