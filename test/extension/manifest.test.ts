// package.json's contributions agree with the facts they repeat (mode names, the debug type,
// the language id) and point at files that exist: VS Code would only say so at run time.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HYPERVISOR_TYPES, MODE_ALIASES } from '../../core/run/modes';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as any;

describe('extension: package.json contributions', () => {
  it('mode enums are exactly core/run/modes (names and aliases)', () => {
    const modes = Object.keys(MODE_ALIASES).sort();
    const launch = pkg.contributes.debuggers[0].configurationAttributes.launch.properties;
    assert.deepEqual([...launch.mode.enum].sort(), modes);
    assert.equal(launch.mode.enum.length, launch.mode.enumDescriptions.length);
    assert.deepEqual([...launch.hypervisor.enum].sort(), [...HYPERVISOR_TYPES].sort());
    for (const key of ['ringlab.lint.mode', 'ringlab.debug.defaultMode']) {
      assert.deepEqual([...pkg.contributes.configuration.properties[key].enum].sort(), modes, key);
    }
  });

  it('declares the fixed names: debug type ringlab, language guest-asm for .gasm, breakpoints for it', () => {
    assert.equal(pkg.contributes.debuggers[0].type, 'ringlab');
    assert.deepEqual(pkg.contributes.languages[0].extensions, ['.gasm']);
    assert.ok(pkg.contributes.breakpoints.some((b: { language: string }) => b.language === 'guest-asm'));
    assert.equal(pkg.main, './dist/extension.js');
  });

  it('launch attributes cover the adapter\'s configuration (DESIGN and issue 6)', () => {
    const launch = pkg.contributes.debuggers[0].configurationAttributes.launch.properties;
    for (const f of ['program', 'mode', 'hypervisor', 'memory', 'stopOnEntry', 'vmcs', 'maxInstructions', 'console']) assert.ok(launch[f]?.description, f);
    for (const c of ['hltExiting', 'cr3LoadExiting', 'cr3StoreExiting', 'ioExiting', 'exceptionBitmap', 'ept', 'interruptWindowExiting']) assert.ok(launch.vmcs.properties[c], c);
  });

  it('every file the manifest names exists', () => {
    const files: string[] = [
      pkg.contributes.languages[0].configuration, pkg.contributes.grammars[0].path, pkg.contributes.snippets[0].path,
      ...pkg.contributes.viewsContainers.activitybar.map((c: { icon: string }) => c.icon),
      ...pkg.contributes.walkthroughs.flatMap((w: { steps: { media: { markdown?: string } }[] }) => w.steps.map((s) => s.media.markdown ?? '')),
    ];
    for (const f of files) assert.ok(fs.existsSync(path.join(ROOT, f)), f);
  });

  it('every command the manifest contributes is registered by extension/activate.ts', () => {
    const source = fs.readFileSync(path.join(ROOT, 'extension', 'activate.ts'), 'utf8');
    for (const c of pkg.contributes.commands as { command: string }[]) assert.ok(source.includes(`'${c.command}'`), c.command);
  });

  it('the snippets are valid JSON with a body each', () => {
    const snippets = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'guest-asm.json'), 'utf8')) as Record<string, { body: string[] }>;
    for (const want of ['Multiboot kernel header', 'IDT interrupt gate', 'PV hypercall']) assert.ok(snippets[want]?.body.length, want);
  });
});
