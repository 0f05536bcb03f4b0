; A small multiboot guest kernel: header, GDT, IDT with handlers, serial output, port exit.
bits 32
org 0x100000

MB_MAGIC    equ 0x1BADB002
MB_FLAGS    equ 0x00010003          ; page align, memory info, a.out kludge
COM1        equ 0x3F8
CODE_SEL    equ gdt.code - gdt
DATA_SEL    equ gdt.data - gdt

multiboot:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd multiboot, multiboot, load_end, bss_end, _start

global _start
_start:
    cli
    lgdt [gdt_ptr]
    jmp CODE_SEL:.reload
.reload:
    mov ax, DATA_SEL
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, stack_top
    call setup_idt
    lidt [idt_ptr]
    mov esi, hello
    call puts
    int 0x30
    mov al, 0
    out 0xF4, al
.halt:
    hlt
    jmp .halt

; esi -> NUL-terminated string
puts:
    push eax
    push edx
.next:
    lodsb
    test al, al
    jz .done
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, [esi-1]
    mov dx, COM1
    out dx, al
    jmp .next
.done:
    pop edx
    pop eax
    ret

setup_idt:
    mov edi, idt
    mov ecx, 256
    mov eax, default_handler
.fill:
    mov [edi], ax
    mov word [edi+2], CODE_SEL
    mov word [edi+4], 0x8E00
    shr eax, 16
    mov [edi+6], ax
    mov eax, default_handler
    add edi, 8
    loop .fill
    mov eax, syscall_handler
    mov [idt + 0x30*8], ax
    shr eax, 16
    mov [idt + 0x30*8 + 6], ax
    ret

default_handler:
    pushad
    mov esi, unexpected
    call puts
    popad
    iretd

syscall_handler:
    pushad
    mov esi, in_handler
    call puts
    popad
    iretd

align 8
gdt:
.null: dq 0
.code: dw 0xFFFF, 0
       db 0, 0x9A, 0xCF, 0
.data: dw 0xFFFF, 0
       db 0, 0x92, 0xCF, 0
gdt_end:
gdt_ptr: dw gdt_end - gdt - 1
         dd gdt
idt_ptr: dw 256*8 - 1
         dd idt
hello: db "kernel up", 10, 0
in_handler: db "int 0x30", 10, 0
unexpected: db "unexpected interrupt", 10, 0
load_end:

section .bss
align 16
idt: resq 256
stack: resb 4096
stack_top:
bss_end:
