// DocumentAnalysis.reads: the files a document's lint asked for, which the language server uses
// to re-lint a document when a file it includes changes. It comes from the lint itself, so a
// large document does not build its name index to answer, and it holds what the assembler
// actually read: active %includes and incbin files, found or not, and nothing in a branch
// %if leaves out.

import * as assert from 'node:assert/strict';
import type { SourceFiles } from '../../../core/asm/types';
import { DocumentAnalysis } from '../../../core/lang';

const FILES: Readonly<Record<string, string>> = { '/w/defs.inc': 'helper:\n    ret\n', '/w/blob.bin': 'AB' };
const host: SourceFiles = { read: (p) => FILES[p], resolve: (_from, name) => `/w/${name}` };

describe('core/lang DocumentAnalysis.reads', () => {
  it('lists the active %include and incbin files, found or not, and not the document', () => {
    const text = [
      'bits 32', '%include "defs.inc"', '%include "missing.inc"', '%if 0', '%include "inactive.inc"', '%endif',
      'call helper', 'incbin "blob.bin"', '',
    ].join('\n');
    const a = new DocumentAnalysis('/w/main.gasm', text, { mode: 'trap-and-emulate', files: host });
    assert.deepEqual([...a.reads].sort(), ['/w/blob.bin', '/w/defs.inc', '/w/missing.inc']);
    assert.deepEqual(a.lint.diagnostics.map((d) => d.code), ['RL106'], 'only the missing file is an error');
  });

  it('is empty for a document that includes nothing', () => {
    const a = new DocumentAnalysis('/w/main.gasm', 'bits 32\ncli\n', { mode: 'trap-and-emulate', files: host });
    assert.equal(a.reads.size, 0);
  });
});
