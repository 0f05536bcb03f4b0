// Behaviour of the assembler that does not need NASM: labels and scopes, expressions, directives,
// sections, the source map and symbols, diagnostics with positions, and robustness on junk.

import * as assert from 'node:assert/strict';
import { assemble, encodeInstruction, type AsmResult, type SourceFiles } from '../../../core/asm';

function hex(src: string): string {
  const r = assemble(src);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], src);
  return Buffer.from(r.bytes).toString('hex');
}
function errors(r: AsmResult): string[] {
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.line}:${d.column}-${d.endColumn}`);
}

describe('assembler: labels', () => {
  it('resolves backward and forward labels, with and without colon', () => {
    assert.equal(hex('a: jmp b\nb jmp a'), 'eb00ebfc');
  });
  it('scopes .local labels to the previous non-local label, not to an equ', () => {
    assert.equal(hex('a: nop\nx equ 5\n.l: db 1\njmp a.l'), '9001ebfd');
  });
  it('defaults to 32-bit code and org 0', () => {
    const r = assemble('mov eax, $');
    assert.equal(r.origin, 0);
    assert.equal(Buffer.from(r.bytes).toString('hex'), 'b800000000');
  });
  it('reports undefined and duplicate labels with positions', () => {
    assert.deepEqual(errors(assemble('  jmp nowhere')), ['RL103 1:7-14']);
    assert.deepEqual(errors(assemble('x: nop\nx: nop')), ['RL104 2:1-2']);
  });
  it('lists symbols with absolute values', () => {
    const r = assemble('org 0x1000\nstart: nop\nK equ 7');
    assert.deepEqual(r.symbols.map((s) => [s.name, s.value, s.kind]), [['start', 0x1000, 'label'], ['K', 7, 'equ']]);
  });
});

describe('assembler: expressions and numbers', () => {
  it('reads every NASM number syntax', () => {
    assert.equal(hex('db 0x10, 10h, 0b1010, 1010b, 0o17, 17q, 1_0, $1f, 0d9'), '10100a0a0f0f0a1f09');
  });
  it("follows NASM's precedence", () => {
    assert.equal(hex('db 1+2*3, 1<<2+1, 6&3|8, 1 ? 2 : 3, 3 == 3 && 2 > 1'), '0708' + '0a' + '0201');
  });
  it('rejects shifts of relocatable values, as NASM does in bin', () => {
    assert.deepEqual(errors(assemble('x: db x>>8')), ['RL107 1:7-11']);
  });
  it('reports division by zero', () => assert.equal(errors(assemble('db 1/0'))[0]!.slice(0, 5), 'RL107'));
});

describe('assembler: directives and sections', () => {
  it('pads a boot sector with times $-$$', () => {
    const r = assemble('org 0x7c00\njmp $\ntimes 510-($-$$) db 0\ndw 0xaa55');
    assert.equal(r.bytes.length, 512);
    assert.equal(r.bytes[511], 0xaa);
  });
  it('aligns with NOPs and raises the section alignment', () => {
    assert.equal(hex('db 1\nalign 4\ndb 2'), '0190909002');
  });
  it('places .data after .text and .bss after both', () => {
    const r = assemble('section .data\nd: db 1\nsection .bss\nb: resb 4\nsection .text\nmov eax, b');
    assert.deepEqual(r.sections.map((s) => [s.name, s.start, s.size, s.nobits]), [['.text', 0, 5, false], ['.data', 8, 1, false], ['.bss', 12, 4, true]]);
    assert.equal(Buffer.from(r.bytes).toString('hex'), 'b80c000000' + '000000' + '01');
  });
  it('expands %define, %if and %include', () => {
    const files: SourceFiles = { read: (p) => (p === 'inc.asm' ? 'db VAL' : undefined), resolve: (_f, n) => n };
    const r = assemble('%define VAL 7\n%if VAL > 5\n%include "inc.asm"\n%else\ndb 0\n%endif', { files });
    assert.equal(Buffer.from(r.bytes).toString('hex'), '07');
  });
  it('reports a recursive %include instead of hanging', () => {
    const files: SourceFiles = { read: () => '%include "self.asm"', resolve: (_f, n) => n };
    const r = assemble('%include "self.asm"', { files });
    assert.ok(errors(r).some((e) => e.startsWith('RL106')));
  });
  it('rejects bits 16 and extern as unsupported', () => {
    assert.deepEqual(errors(assemble('bits 16')), ['RL110 1:6-8']);
    assert.equal(errors(assemble('extern foo'))[0]!.slice(0, 5), 'RL110');
  });
  it('keeps NASM warnings without changing the bytes', () => {
    const r = assemble('db 300');
    assert.equal(r.ok, true);
    assert.equal(r.diagnostics[0]!.severity, 'warning');
    assert.equal(Buffer.from(r.bytes).toString('hex'), '2c');
  });
});

describe('assembler: instructions', () => {
  it('reports unknown mnemonics and bad operands with columns', () => {
    assert.deepEqual(errors(assemble('  mvo eax, 1')), ['RL101 1:3-6']);
    assert.deepEqual(errors(assemble('mov eax, bl')), ['RL102 1:5-12']);
    assert.deepEqual(errors(assemble('inc [eax]')), ['RL108 1:5-10']);
  });
  it('reports a short jump out of range', () => {
    assert.equal(errors(assemble('jmp short x\ntimes 200 nop\nx:'))[0]!.slice(0, 5), 'RL105');
  });
  it('builds a source map entry per instruction and data line', () => {
    const r = assemble('org 0x100\nmov eax, 1\n  db 1, 2\nx:');
    assert.deepEqual(r.sourceMap.map((e) => [e.addr, e.length, e.line, e.column, e.isCode]), [[0x100, 5, 2, 1, true], [0x105, 2, 3, 3, false]]);
  });
  it('reads a repeated line with another comment, blanks or a quoted ; as the line it repeats', () => {
    const src = "mov al, 1\n  mov al, 1 ; one\n  mov al, 1\t\nmov al, ';'\nmov al, ';' ; x\nmov al, ';'\nmov al, 1;\nmov al, 1 ; 'q'\nmov al, 2 ; ;";
    const r = assemble(src);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(Buffer.from(r.bytes).toString('hex'), 'b001b001b001b03bb03bb03bb001b001b002');
    assert.deepEqual(r.sourceMap.map((e) => `${e.line}:${e.column}`), ['1:1', '2:3', '3:3', '4:1', '5:1', '6:1', '7:1', '8:1', '9:1']);
  });
  it('encodes a single instruction at an address', () => {
    // An absolute target is in no section, so NASM picks the near form, as for `org 0x1000; jmp 0x1000`.
    assert.equal(Buffer.from(encodeInstruction('jmp 0x1000', 0x1000) as Uint8Array).toString('hex'), 'e9fbffffff');
    assert.equal(Buffer.from(encodeInstruction('jmp short 0x1002', 0x1000) as Uint8Array).toString('hex'), 'eb00');
    assert.equal((encodeInstruction('mov eax, bl') as { code: string }).code, 'RL102');
    // One line: any of the assembler's line ends makes it two instructions.
    for (const text of ['nop\ncli', 'nop\r\ncli', 'nop\rcli']) assert.equal((encodeInstruction(text) as { message: string }).message, 'one instruction expected', JSON.stringify(text));
  });
});

describe('assembler: robustness', () => {
  it('never throws on random and broken text, and answers in bounded passes', () => {
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const pieces = ['mov', 'eax', ',', '[', ']', '+', '*', '4', 'jmp', 'x', 'x:', '.l', 'times', 'db', '"', "'", '`', '%define', '%if', '%endif',
      'equ', '$', '$$', '(', ')', 'section', '.data', 'align', 'byte', 'far', 'short', ':', 'org', '\\', ';', '\n', 'resb', '-1', '0x', '?', '~', 'nosplit'];
    for (let i = 0; i < 300; i++) {
      let text = '';
      for (let k = 0; k < 40; k++) text += pieces[rnd(pieces.length)] + (rnd(3) === 0 ? '\n' : ' ');
      if (i % 7 === 0) text += String.fromCharCode(...Array.from({ length: 20 }, () => rnd(256)));
      const r = assemble(text);
      assert.ok(Array.isArray(r.diagnostics));
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1 && d.endColumn > d.column, JSON.stringify(d));
    }
  });
  it('stops a label that depends on itself', () => {
    const r = assemble('times x db 0\nx:');
    assert.equal(r.ok, false);
  });
});
