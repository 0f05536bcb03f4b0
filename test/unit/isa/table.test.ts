// Guards the one instruction table: its rows parse, ids are dense, every mnemonic is described,
// and the privilege classes are the published ones (Intel SDM vol. 3; Robin and Irvine 2000,
// see shared REFERENCES.md). The linter and every hypervisor engine decide by these classes.

import * as assert from 'node:assert/strict';
import { parseRow } from '../../../core/isa/encoding';
import { TABLE } from '../../../core/isa/table';
import { allMnemonics, FORMS, INSTRUCTIONS, lookupMnemonic } from '../../../core/isa';
import type { Form, PrivilegeClass } from '../../../core/isa';

const CLASSES: readonly PrivilegeClass[] = ['unprivileged', 'privileged', 'iopl', 'io', 'sensitive'];

/** Canonical mnemonics of a list of names as people write them (aliases resolved). */
function canonical(names: readonly string[]): Set<string> {
  return new Set(names.map((n) => {
    const def = lookupMnemonic(n);
    assert.ok(def, `the table has no instruction '${n}'`);
    return def.mnemonic;
  }));
}

const hasSegmentRegister = (f: Form): boolean => f.operands.some((k) => ['sreg', 'es', 'cs', 'ss', 'ds', 'fs', 'gs'].includes(k));
const isFar = (f: Form): boolean => f.operands.some((k) => k === 'far16' || k === 'far32' || k === 'mfar');
const describeForms = (forms: readonly Form[]): string => forms.map((f) => `\n  ${f.source} (${f.privilege})`).join('');

describe('instruction table (core/isa)', () => {
  it('every row parses', () => {
    let rows = 0;
    for (const entry of TABLE) {
      for (const row of entry.rows) {
        assert.doesNotThrow(() => parseRow(row, entry.cc), `${entry.mnemonic} ${row}`);
        rows++;
      }
    }
    assert.equal(FORMS.length, rows);
  });

  it('form ids are dense, in table order, and each form source is unique', () => {
    FORMS.forEach((f, i) => assert.equal(f.id, i, `${f.source} has id ${f.id} at index ${i}`));
    let i = 0;
    for (const entry of TABLE) for (const row of entry.rows) assert.equal(FORMS[i++]!.source, `${entry.mnemonic} ${row}`);
    const seen = new Set<string>();
    for (const f of FORMS) {
      assert.ok(!seen.has(f.source), `two forms read '${f.source}'`);
      seen.add(f.source);
    }
  });

  it('every mnemonic has a description, a privilege class and at least one form', () => {
    for (const def of INSTRUCTIONS.values()) {
      assert.ok(def.description.trim().length > 0, `${def.mnemonic} has no description`);
      assert.ok(CLASSES.includes(def.privilege), `${def.mnemonic}: privilege '${def.privilege}'`);
      assert.ok(def.forms.length > 0, `${def.mnemonic} has no forms`);
      for (const f of def.forms) assert.ok(CLASSES.includes(f.privilege), `${f.source}: privilege '${f.privilege}'`);
    }
  });

  it('aliases collide neither with mnemonics nor with each other', () => {
    const mnemonics = new Set(INSTRUCTIONS.keys());
    const owner = new Map<string, string>();
    for (const def of INSTRUCTIONS.values()) {
      for (const a of def.aliases ?? []) {
        assert.ok(!mnemonics.has(a), `alias '${a}' of ${def.mnemonic} is also a mnemonic`);
        assert.ok(!owner.has(a), `alias '${a}' belongs to both ${owner.get(a)} and ${def.mnemonic}`);
        owner.set(a, def.mnemonic);
      }
    }
    assert.equal(new Set(allMnemonics()).size, allMnemonics().length);
  });

  describe('privilege classes', () => {
    // Robin and Irvine's sensitive-but-unprivileged instructions, as REFERENCES.md lists them.
    const WHOLE_SENSITIVE = canonical(['sgdt', 'sidt', 'sldt', 'smsw', 'str', 'pushf', 'pushfw', 'pushfd', 'popf', 'popfw', 'popfd', 'lar', 'lsl', 'verr', 'verw', 'retf']);
    const INT_N = lookupMnemonic('int')!.forms.filter((f) => f.operands.length === 1);
    const expectSensitive = (f: Form): boolean =>
      WHOLE_SENSITIVE.has(f.mnemonic) ||
      INT_N.includes(f) ||
      ((f.mnemonic === 'push' || f.mnemonic === 'pop' || f.mnemonic === 'mov') && hasSegmentRegister(f)) ||
      ((f.mnemonic === 'call' || f.mnemonic === 'jmp') && isFar(f));

    it("the sensitive class is exactly Robin and Irvine's list", () => {
      const extra = FORMS.filter((f) => f.privilege === 'sensitive' && !expectSensitive(f));
      const missing = FORMS.filter((f) => f.privilege !== 'sensitive' && expectSensitive(f));
      assert.equal(extra.length + missing.length, 0,
        `sensitive but not in Robin and Irvine's list:${describeForms(extra)}\nin the list but not sensitive:${describeForms(missing)}`);
    });

    it('near CALL/JMP/RET and PUSH/POP/MOV of general registers are not sensitive', () => {
      const near = FORMS.filter((f) => ['call', 'jmp', 'ret', 'push', 'pop', 'mov'].includes(f.mnemonic) && !isFar(f) && !hasSegmentRegister(f) &&
        !f.operands.some((k) => k === 'creg' || k === 'dreg'));
      assert.ok(near.length > 20);
      assert.deepEqual(near.filter((f) => f.privilege !== 'unprivileged').map((f) => f.source), []);
    });

    it("the privileged class is the SDM's CPL-0 list", () => {
      const SDM = canonical(['lgdt', 'lidt', 'lldt', 'ltr', 'lmsw', 'clts', 'invd', 'wbinvd', 'invlpg', 'hlt', 'rdmsr', 'wrmsr', 'rdpmc']);
      const expectPrivileged = (f: Form): boolean =>
        SDM.has(f.mnemonic) || (f.mnemonic === 'mov' && f.operands.some((k) => k === 'creg' || k === 'dreg'));
      const extra = FORMS.filter((f) => f.privilege === 'privileged' && !expectPrivileged(f));
      const missing = FORMS.filter((f) => f.privilege !== 'privileged' && expectPrivileged(f));
      assert.equal(extra.length + missing.length, 0, `privileged but not in the SDM list:${describeForms(extra)}\nin the SDM list but not privileged:${describeForms(missing)}`);
    });

    it('CLI and STI are IOPL-sensitive; IN, OUT, INS and OUTS are I/O', () => {
      const IOPL = canonical(['cli', 'sti']);
      const IO = canonical(['in', 'out', 'insb', 'insw', 'insd', 'outsb', 'outsw', 'outsd']);
      const wrong = FORMS.filter((f) =>
        (f.privilege === 'iopl') !== IOPL.has(f.mnemonic) || (f.privilege === 'io') !== IO.has(f.mnemonic));
      assert.deepEqual(wrong.map((f) => `${f.source} (${f.privilege})`), []);
    });
  });
});
