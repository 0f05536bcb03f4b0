; Branches whose form depends on the distance (test/oracle/asm.test.ts): short or near, forward
; and backward around the rel8 limit, mnemonics without a near form, prefixes and keywords, and
; forward chains that take several passes to settle. Assembled by NASM into asm-branches.bin.
bits 32
org 0x7c00
f119:
        times 119 nop
        jz f119
        jmp g119
        loop $+2
        call f119
        times 119 nop
g119:
        jnz f119
        jecxz g119
        o16 jmp g119
        a16 loop g119
        jmp short g119
        jmp near g119
        jmp strict g119
        fs jz g119
        jc $+119
        jc $-119
        jmp 0x802f
f120:
        times 120 nop
        jz f120
        jmp g120
        loop $+2
        call f120
        times 120 nop
g120:
        jnz f120
        jecxz g120
        o16 jmp g120
        a16 loop g120
        jmp short g120
        jmp near g120
        jmp strict g120
        fs jz g120
        jc $+120
        jc $-120
        jmp 0x8038
f121:
        times 121 nop
        jz f121
        jmp g121
        loop $+2
        call f121
        times 121 nop
g121:
        jnz f121
        jecxz g121
        o16 jmp g121
        a16 loop g121
        jmp short g121
        jmp near g121
        jmp strict g121
        fs jz g121
        jc $+121
        jc $-121
        jmp 0x8041
f122:
        times 122 nop
        jz f122
        jmp g122
        loop $+2
        call f122
        times 122 nop
g122:
        jnz f122
        jecxz g122
        o16 jmp g122
        a16 loop g122
        jmp short g122
        jmp near g122
        jmp strict g122
        fs jz g122
        jc $+122
        jc $-122
        jmp 0x804a
f123:
        times 123 nop
        jz f123
        jmp g123
        loop $+2
        call f123
        times 123 nop
g123:
        jnz f123
        jecxz g123
        o16 jmp g123
        a16 loop g123
        jmp short g123
        jmp near g123
        jmp strict g123
        fs jz g123
        jc $+123
        jc $-123
        jmp 0x8053
f124:
        times 124 nop
        jz f124
        jmp g124
        loop $+2
        call f124
        times 124 nop
g124:
        jnz f124
        jecxz g124
        o16 jmp g124
        a16 loop g124
        jmp short g124
        jmp near g124
        jmp strict g124
        fs jz g124
        jc $+124
        jc $-124
        jmp 0x805c
f125:
        times 125 nop
        jz f125
        jmp g125
        loop $+2
        call f125
        times 125 nop
g125:
        jnz f125
        jecxz g125
        o16 jmp g125
        a16 loop g125
        jmp short g125
        jmp near g125
        jmp strict g125
        fs jz g125
        jc $+125
        jc $-125
        jmp 0x8065
f126:
        times 126 nop
        jz f126
        jmp g126
        loop $+2
        call f126
        times 126 nop
g126:
        jnz f126
        jecxz g126
        o16 jmp g126
        a16 loop g126
        jmp short g126
        jmp near g126
        jmp strict g126
        fs jz g126
        jc $+126
        jc $-126
        jmp 0x806e
f127:
        times 127 nop
        jz f127
        jmp g127
        loop $+2
        call f127
        times 127 nop
g127:
        jnz f127
        jecxz g127
        o16 jmp g127
        a16 loop g127
        jmp short g127
        jmp near g127
        jmp strict g127
        fs jz g127
        jc $+127
        jc $-127
        jmp 0x8077
f128:
        times 128 nop
        jz f128
        jmp g128
        loop $+2
        call f128
        times 128 nop
g128:
        jnz f128
        jecxz g128
        o16 jmp g128
        a16 loop g128
        jmp short g128
        jmp near g128
        jmp strict g128
        fs jz g128
        jc $+128
        jc $-128
        jmp 0x8080
f129:
        times 129 nop
        jz f129
        jmp g129
        loop $+2
        call f129
        times 129 nop
g129:
        jnz f129
        jecxz g129
        o16 jmp g129
        a16 loop g129
        jmp short g129
        jmp near g129
        jmp strict g129
        fs jz g129
        jc $+129
        jc $-129
        jmp 0x8089
f130:
        times 130 nop
        jz f130
        jmp g130
        loop $+2
        call f130
        times 130 nop
g130:
        jnz f130
        jecxz g130
        o16 jmp g130
        a16 loop g130
        jmp short g130
        jmp near g130
        jmp strict g130
        fs jz g130
        jc $+130
        jc $-130
        jmp 0x8092
f131:
        times 131 nop
        jz f131
        jmp g131
        loop $+2
        call f131
        times 131 nop
g131:
        jnz f131
        jecxz g131
        o16 jmp g131
        a16 loop g131
        jmp short g131
        jmp near g131
        jmp strict g131
        fs jz g131
        jc $+131
        jc $-131
        jmp 0x809b
c0:
        times 36 nop
        jz c0
c1:
        times 80 nop
        jz c16
        jz c32
        jz c16
c2:
        times 18 nop
        jz c0
        jz c16
c3:
        times 72 nop
        jz c0
        jz c24
c4:
        times 66 nop
        jz c0
c5:
        times 24 nop
        jz c24
        jz c24
c6:
        times 34 nop
        jz c0
        jz c24
        jz c8
c7:
        times 60 nop
        jz c8
        jz c8
c8:
        times 38 nop
        jz c32
c9:
        times 58 nop
        jz c32
        jz c0
c10:
        times 22 nop
        jz c32
        jz c0
        jz c32
c11:
        times 52 nop
        jz c8
        jz c16
        jz c32
c12:
        times 20 nop
        jz c0
c13:
        times 76 nop
        jz c24
c14:
        times 83 nop
        jz c24
c15:
        times 48 nop
        jz c24
c16:
        times 32 nop
        jz c32
c17:
        times 46 nop
        jz c0
        jz c8
        jz c8
c18:
        times 14 nop
        jnz c32
c19:
        times 36 nop
        jz c16
        jz c16
c20:
        times 82 nop
        jz c16
        jz c8
        jz c32
c21:
        times 74 nop
        jz c0
        jz c24
        jz c24
c22:
        times 56 nop
        jz c16
        jz c0
c23:
        times 68 nop
        jz c32
        jz c0
c24:
        times 64 nop
        jz c32
        jz c32
c25:
        times 20 nop
        jz c8
c26:
        times 48 nop
        jz c24
c27:
        times 34 nop
        jz c24
c28:
        times 0 nop
        jz c0
c29:
        times 86 nop
        jz c16
        jz c16
        jz c32
c30:
        times 88 nop
        jz c8
        jz c24
c31:
        times 64 nop
        jz c24
        jz c8
c32:
        times 64 nop
        jz c24
        jz c8
        jz c8
c33:
        times 44 nop
        jz c8
        jz c16
        jz c16
c34:
        times 8 nop
        jz c32
        jz c8
        jz c24
c35:
        times 82 nop
        jz c0
        jz c33
c36:
        times 66 nop
        jz c24
        jz c24
        jz c32
c37:
        times 28 nop
        jz c32
        jz c0
        jz c8
c38:
        times 20 nop
        jz c8
        jz c8
c39:
        times 10 nop
        jz c0
        jz c16
        jz c32
