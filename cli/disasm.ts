// `ringlab disasm FILE.bin [--org ADDR]`: NASM syntax that `nasm -f bin` re-assembles to the
// same bytes. Addresses and bytes ride along as comments so the output stays assemblable.

import { disassemble } from '../core/disasm';
import type { Command } from './command';
import { readInputBytes } from './inputFile';
import { hex32, hexBytes, onePositional, parseCommandArgs, parseNumber, stringOption } from './usage';

const NAME = 'disasm';
const TEXT_WIDTH = 40;

export const disasmCommand: Command = {
  name: NAME,
  synopsis: 'disasm FILE.bin [--org ADDR]',
  summary: 'disassemble a flat 32-bit binary into NASM syntax that re-assembles to the same bytes',
  available: true,
  help: `Usage: ringlab disasm FILE.bin [--org ADDR]

Decodes FILE as 32-bit code loaded at ADDR (default 0) and prints NASM syntax: \`bits 32\`,
\`org ADDR\`, then one instruction per line with its address and bytes as a comment.
\`nasm -f bin\` turns the output back into the same bytes.

Options:
  --org ADDR   load address of the first byte (0x100000, 100000h or decimal; default 0)`,
  run(args) {
    const parsed = parseCommandArgs(NAME, args, { org: { type: 'string' } });
    const file = onePositional(NAME, parsed, 'input file');
    const orgText = stringOption(parsed, 'org');
    const origin = orgText === undefined ? 0 : parseNumber(orgText, '--org');
    const bytes = readInputBytes(file);
    const out: string[] = ['bits 32', `org ${hex32(origin)}`, `; disassembled by ringlab from ${file}`, ''];
    for (const line of disassemble(bytes, origin)) {
      out.push(`    ${line.text.padEnd(TEXT_WIDTH)} ; ${hex32(line.addr)}  ${hexBytes(line.bytes)}`);
    }
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  },
};
