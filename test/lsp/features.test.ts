// Hover, completion, definition, references, rename, outline, folding, semantic tokens and code
// actions through a real LSP client over stdio, on a file that %includes another.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest, CompletionRequest, DefinitionRequest, DocumentSymbolRequest, FoldingRangeRequest, HoverRequest,
  PrepareRenameRequest, ReferencesRequest, RenameRequest, SemanticTokensRequest,
  type CodeAction, type CompletionItem, type Diagnostic, type DocumentSymbol, type Location, type MarkupContent, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { assemble } from '../../core/asm';
import { allMnemonics, REGISTERS } from '../../core/isa';
import { LspClient, uriOf } from './lspClient';

const MAIN = [
  'bits 32',                  // 0
  'org 0x100000',             // 1
  '%include "lib.inc"',       // 2
  'PORT equ 0x3F8',           // 3
  '_start:',                  // 4
  '    mov esp, stack_top',   // 5
  '    cli',                  // 6
  '.wait:',                   // 7
  '    hlt',                  // 8
  '    jmp .wait',            // 9
  '    mov cr3, eax',         // 10
  '    mov dx, PORT',         // 11
  '    out dx, al',           // 12
  '    call print',           // 13
  '    pushf',                // 14
  '',                         // 15
  'stack_top: dd 0',          // 16
  '',
].join('\n');
const LIB = 'print:\n    push eax\n    pop eax\n    ret\n';

const pos = (line: number, character: number) => ({ line, character });

describe('lsp: editor features (stdio client)', function () {
  this.timeout(60_000);
  let client: LspClient;
  let dir: string;
  let main: string;
  let lib: string;
  let uri: string;
  let version = 1;

  const hover = async (line: number, ch: number): Promise<string> => {
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: pos(line, ch) });
    return h ? (h.contents as MarkupContent).value : '';
  };
  const complete = async (line: number, ch: number): Promise<CompletionItem[]> => {
    const r = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: pos(line, ch) });
    return Array.isArray(r) ? r : r?.items ?? [];
  };
  /** Replaces the whole text (a full-document change) and waits for its diagnostics. */
  const setText = async (text: string): Promise<Diagnostic[]> => {
    version++;
    const since = client.publishedCount;
    const lines = TextDocument.create(uri, 'guest-asm', 0, current).lineCount;
    await client.change(uri, version, [0, 0], [lines, 0], text);
    current = text;
    return client.diagnostics(uri, { version, since });
  };
  let current = MAIN;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringlab-lsp-'));
    main = path.join(dir, 'main.gasm');
    lib = path.join(dir, 'lib.inc');
    fs.writeFileSync(lib, LIB);
    fs.writeFileSync(main, MAIN);
    client = new LspClient();
    client.settings = { lint: { mode: 'pv' } };
    await client.initialize();
    uri = await client.open(main, MAIN);
  });
  after(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('diagnostics: pv errors on the privileged lines, a warning on pushf, nothing on the rest', async () => {
    const ds = await client.diagnostics(uri, { version: 1 });
    const summary = ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.code} ${d.severity}`).sort();
    assert.deepEqual(summary, [
      '10:4-16 RL201 1', '12:4-14 RL201 1', '12:4-14 RL203 3', '14:4-9 RL202 2', '6:4-7 RL201 1', '8:4-7 RL201 1',
    ]);
  });

  it('hover on an instruction: description, encodings, flags, privilege class and every mode', async () => {
    const h = await hover(6, 5);
    for (const want of ['**CLI**', 'interrupt flag', 'FA', 'writes IF', 'IOPL', 'native:', 'trap:', 'bt:', '**pv**:', 'hw:', 'upcall_mask', 'RL201 error']) {
      assert.ok(h.includes(want), `hover on cli lacks '${want}':\n${h}`);
    }
    const mov = await hover(10, 5);
    assert.match(mov, /^> mov creg,r32 +0F 22 \/r\b/m, 'the form of this line is marked');
    assert.match(mov, /mmuext_op \(26\) NEW_BASEPTR/);
    assert.match(await hover(14, 5), /sensitive but unprivileged[\s\S]*trap: no trap at ring 1: a wrong answer/);
  });

  it('hover on a label (value and definition, also in an included file), a constant and registers', async () => {
    const asm = assemble(MAIN.replace('%include "lib.inc"', LIB), { file: 'x' });
    const wait = asm.symbols.find((s) => s.name === '_start.wait')!;
    const h = await hover(9, 10);
    assert.ok(h.includes('_start.wait') && h.includes(`0x${wait.value.toString(16).toUpperCase().padStart(8, '0')}`) && h.includes('line 8'), h);
    assert.match(await hover(13, 11), /print[\s\S]*lib\.inc line 1/);
    assert.match(await hover(11, 13), /PORT\*\* \(equ\)[\s\S]*0x000003F8 \(1016\)/);
    assert.match(await hover(5, 9), /\*\*esp\*\*.*stack pointer/);
    assert.match(await hover(10, 14), /\*\*eax\*\*[\s\S]*Under pv: hypercall number/);
    assert.match(await hover(12, 13), /\*\*al\*\*.*bits 0-7 of EAX/);
  });

  it('completion: the table\'s mnemonics where an operation goes; registers, labels and hypercalls in operands', async () => {
    const ops = await complete(15, 0);
    const mnemonics = new Set(ops.filter((i) => i.kind === 14 && !['db', 'dd', 'times', 'section'].includes(i.label)).map((i) => i.label));
    for (const m of allMnemonics()) assert.ok(mnemonics.has(m), `mnemonic ${m}`);
    assert.ok(ops.some((i) => i.label === 'times'), 'directives');
    assert.ok(!ops.some((i) => i.label === 'eax'), 'no registers where the operation goes');

    await setText(current.replace('    pushf\n', '    mov eax, \n'));
    const operands = await complete(14, 13);
    const labels = new Set(operands.map((i) => i.label));
    for (const r of REGISTERS.keys()) assert.ok(labels.has(r), `register ${r}`);
    for (const l of ['_start', '.wait', '_start.wait', 'stack_top', 'print', 'PORT']) assert.ok(labels.has(l), `symbol ${l}`);
    const hypercalls = operands.filter((i) => i.kind === 12);
    assert.deepEqual(hypercalls.map((i) => i.insertText).sort(), ['0', '15', '17', '18', '23', '26', '29', '3', '4']);
    assert.ok(hypercalls.find((i) => i.insertText === '18')!.detail!.includes('console_io'));
    assert.deepEqual((await complete(2, 2)).map((i) => i.label).filter((l) => l.startsWith('%')).includes('%include'), true);
    await client.setMode('trap');
    await client.diagnostics(uri, { since: client.publishedCount });
    assert.equal((await complete(14, 13)).filter((i) => i.kind === 12).length, 0, 'hypercalls only under pv');
    await client.setMode('pv');
    await setText(MAIN);
  });

  it('go to definition: a local label, and a label in the included file', async () => {
    const local = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: pos(9, 9) }) as Location[];
    assert.deepEqual(local, [{ uri, range: { start: pos(7, 0), end: pos(7, 5) } }]);
    const inc = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: pos(13, 10) }) as Location[];
    assert.deepEqual(inc, [{ uri: uriOf(lib), range: { start: pos(0, 0), end: pos(0, 5) } }]);
  });

  it('references: with and without the declaration', async () => {
    const with_ = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: pos(5, 14), context: { includeDeclaration: true } });
    assert.deepEqual(with_?.map((l) => l.range.start.line).sort((a, b) => a - b), [5, 16]);
    const without = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: pos(7, 1), context: { includeDeclaration: false } });
    assert.deepEqual(without?.map((l) => [l.range.start.line, l.range.start.character]), [[9, 8]]);
  });

  it('rename: a local label keeps its dot; a label renamed in the included file too; keywords refused', async () => {
    const prep = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: pos(9, 9) });
    assert.deepEqual(prep, { start: pos(9, 8), end: pos(9, 13) });
    const local = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: pos(9, 9), newName: 'spin' });
    assert.deepEqual(local?.changes?.[uri]?.map((e: TextEdit) => [e.range.start.line, e.newText]), [[7, '.spin'], [9, '.spin']]);
    const global = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: pos(13, 10), newName: 'puts' });
    assert.deepEqual(global?.changes?.[uri]?.map((e: TextEdit) => [e.range.start.line, e.range.start.character, e.newText]), [[13, 9, 'puts']]);
    assert.deepEqual(global?.changes?.[uriOf(lib)]?.map((e: TextEdit) => [e.range.start.line, e.newText]), [[0, 'puts']]);
    await assert.rejects(client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: pos(13, 10), newName: 'eax' }), /not a valid/);
    await assert.rejects(client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: pos(13, 10), newName: 'stack_top' }), /already defined/);
  });

  it('document symbols: labels with their local labels as children, constants', async () => {
    const syms = await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }) as DocumentSymbol[];
    const shape = syms.map((s) => [s.name, s.kind, s.range.start.line, s.range.end.line, (s.children ?? []).map((c) => c.name)]);
    assert.deepEqual(shape, [['PORT', 14, 3, 3, []], ['_start', 12, 4, 15, ['.wait']], ['stack_top', 12, 16, 17, []]]);
  });

  it('folding ranges: a label\'s body', async () => {
    const folds = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    assert.ok(folds?.some((f) => f.startLine === 4 && f.endLine === 14), JSON.stringify(folds));
  });

  it('semantic tokens: mnemonics (privileged marked), registers, labels, numbers, comments', async () => {
    const r = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    const types = ['keyword', 'macro', 'variable', 'function', 'number', 'string', 'comment', 'type', 'constant'];
    const tokens: string[] = [];
    let line = 0;
    let start = 0;
    const lines = MAIN.split('\n');
    for (let i = 0; i < r!.data.length; i += 5) {
      const [dl, ds, len, type, mods] = r!.data.slice(i, i + 5) as [number, number, number, number, number];
      line += dl;
      start = dl === 0 ? start + ds : ds;
      tokens.push(`${lines[line]!.slice(start, start + len)}:${types[type]}${mods ? `/${mods}` : ''}`);
    }
    for (const want of ['cli:keyword/2', 'hlt:keyword/2', 'pushf:keyword/4', 'mov:keyword', 'esp:variable', '_start:function/1', '.wait:function', 'PORT:constant/1', '0x3F8:number', '%include:macro', '"lib.inc":string', 'dd:macro']) {
      assert.ok(tokens.includes(want), `${want} in ${tokens.join(' ')}`);
    }
  });

  it('code actions under pv: each privileged line has its PV sequence; applied, the file assembles with no RL201 left', async () => {
    let ds = await setText(MAIN);
    const fixes: CodeAction[] = [];
    for (const d of ds.filter((x) => x.code === 'RL201')) {
      const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } }) as CodeAction[];
      assert.ok(actions.some((a) => a.title === 'Silence RL201 on this line'), `silence for line ${d.range.start.line}`);
      const pv = actions.find((a) => a.isPreferred);
      assert.ok(pv, `a PV replacement for '${MAIN.split('\n')[d.range.start.line]!.trim()}'`);
      fixes.push(pv);
    }
    assert.deepEqual(fixes.map((f) => f.title.match(/'([^']+)'/)![1]), ['cli', 'hlt', 'mov cr3, eax', 'out dx, al']);
    // Apply them bottom-up so earlier ranges stay valid, as an editor applies one at a time.
    let doc = TextDocument.create(uri, 'guest-asm', 0, MAIN);
    const edits = fixes.flatMap((f) => f.edit!.changes![uri]!);
    const unique = edits.filter((e, i) => edits.findIndex((o) => JSON.stringify(o) === JSON.stringify(e)) === i);
    doc = TextDocument.create(uri, 'guest-asm', 1, TextDocument.applyEdits(doc, unique));
    ds = await setText(doc.getText());
    assert.deepEqual(ds.filter((d) => d.code !== 'RL202' && d.code !== 'RL203').map((d) => `${d.code} ${d.message}`), []);
    assert.match(current, /pv_shared_info: dd 0/);
    assert.match(current, /mov eax, 26 +; mmuext_op/);
    assert.match(current, /int 0x82/);
    // The hypercalls the fixes wrote are what a PV guest must do: no finding on them.
    const fixed = current.split('\n');
    assert.deepEqual(ds.filter((d) => /int 0x82/.test(fixed[d.range.start.line]!)).map((d) => `${d.code} ${d.range.start.line + 1}`), []);
  });

  it('code action "silence": adds ; ringlab-ignore RLxxx and the diagnostic goes away', async () => {
    let ds = await setText(MAIN);
    const pushf = ds.find((d) => d.code === 'RL202')!;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: pushf.range, context: { diagnostics: [pushf] } }) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ['Silence RL202 on this line']);
    const doc = TextDocument.create(uri, 'guest-asm', 0, current);
    ds = await setText(TextDocument.applyEdits(doc, actions[0]!.edit!.changes![uri]!));
    assert.equal(current.split('\n')[14], '    pushf  ; ringlab-ignore RL202');
    assert.ok(!ds.some((d) => d.code === 'RL202'));
    assert.equal(ds.length, 5);
  });
});
