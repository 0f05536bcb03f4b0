// `ringlab run FILE`: parses the arguments, hands the file to core/run, streams the guest's
// console to stdout (or prints the --json report) and turns the run's exit into the status.

import * as fs from 'node:fs';
import {
  EXIT_STATUS, HYPERVISOR_TYPES, MODE_ALIASES, modeAvailable, parseHypervisorType, parseMode, processExitStatus,
  runGuest, type EarlyReport, type RunReport,
} from '../core/run';
import { engineAvailable, formatTranslationListing, isBinaryTranslation } from '../core/hypervisor';
import type { Command } from './command';
import { reportDiagnostics } from './diagnostics';
import { readInputBytes } from './inputFile';
import { NodeSourceFiles } from './nodeFiles';
import { onePositional, optionalCount, parseCommandArgs, parseDefines, stringOption, stringOptions, UsageError } from './usage';

const NAME = 'run';
const MAX_MEMORY_MIB = 3072; // below the 4 GiB PCI hole, as a 32-bit PC without PAE
const SYNOPSIS = 'run FILE [--mode M] [--hypervisor type1|type2] [--vmcs JSON] [--memory MIB] [--max-instructions N] [--json] [--listing] [--interpret]';

export const runCommand: Command = {
  name: NAME,
  synopsis: SYNOPSIS,
  summary: 'run a guest on the embedded machine under a virtualization mode',
  available: true,
  help: `Usage: ringlab ${SYNOPSIS}

Boots FILE as \`qemu-system-i386 -kernel FILE\` would and runs it. A .gasm (or .asm) file is
assembled first (entry at _start, loaded at its org); a binary is loaded as a multiboot kernel
(a.out kludge) or, without a header, at 0x100000 from its first byte. The guest's serial
console (COM1) goes to stdout as it is produced.

Options:
  --mode M               native (default), trap-and-emulate (trap), binary-translation (bt),
                         paravirtual (pv) or hardware-assisted (hw)
  --hypervisor T         type1 (default) or type2 (every trap or exit goes through the host
                         OS: a world switch in the cost model); no effect under native
  --vmcs JSON            hw only: the VMCS controls, e.g. '{"hltExiting":false,"ept":false}'
                         (the debugger's launch configuration \`vmcs\`; default: the engine's)
  --memory MIB           RAM in MiB (default 32, at most ${MAX_MEMORY_MIB})
  --max-instructions N   stop after N instructions (default: no limit)
  --json                 print one JSON object instead of the console: exit {reason, code},
                         console, registers, segments, control, cpl, vcpu, stats, holes
  --listing              with --mode bt: print the translation cache (each unit's guest
                         instructions and their translations) to stderr when the run ends
  --interpret            run every instruction on the interpreter, the reference (default:
                         hot code is compiled to JavaScript; --json's stats.jit says how much)
  -i, --include DIR      search DIR for %include files (repeatable)
  -D, --define N=V       predefine a macro for the assembler (repeatable)

Exit status:
  the guest's code   it wrote v to port 0xF4: (v << 1) | 1, modulo 256 (always odd)
  0                  the guest halted for good (cli; hlt)
  1                  FILE did not assemble (errors as FILE:LINE:COL: error: message [RL1xx])
  2                  bad arguments, or a launch configuration the mode cannot run
  6                  the hypervisor stopped the guest (a PV guest's privileged instruction, a
                     page table mapping memory the guest does not own; reason on stderr)
  3                  triple fault
  4                  the guest used something the machine does not emulate (reason on stderr)
  70                 an internal error of RingLab (please report it)
  124                --max-instructions reached
  126                FILE is not a program (empty, text, ELF, bad multiboot header)
  141                stdout was closed while the guest ran (as SIGPIPE)
With --json the same status; stdout holds the object (only exit and console when the guest
never started), notes and errors go to stderr.`,
  run(args) {
    const parsed = parseCommandArgs(NAME, args, {
      mode: { type: 'string', short: 'm' },
      hypervisor: { type: 'string' },
      vmcs: { type: 'string' },
      memory: { type: 'string' },
      'max-instructions': { type: 'string' },
      json: { type: 'boolean' },
      listing: { type: 'boolean' },
      interpret: { type: 'boolean' },
      include: { type: 'string', short: 'i', multiple: true },
      define: { type: 'string', short: 'D', multiple: true },
    });
    const file = onePositional(NAME, parsed, 'guest file');
    const modeText = stringOption(parsed, 'mode') ?? 'native';
    const mode = parseMode(modeText);
    if (mode === undefined) {
      throw new UsageError(`--mode ${modeText}: expected one of ${Object.keys(MODE_ALIASES).join(', ')}`);
    }
    const hvText = stringOption(parsed, 'hypervisor');
    if (hvText !== undefined && parseHypervisorType(hvText) === undefined) {
      throw new UsageError(`--hypervisor ${hvText}: expected ${HYPERVISOR_TYPES.join(' or ')}`);
    }
    const memoryMiB = optionalCount(stringOption(parsed, 'memory'), '--memory', 1, MAX_MEMORY_MIB);
    const maxInstructions = optionalCount(stringOption(parsed, 'max-instructions'), '--max-instructions', 0, Number.MAX_SAFE_INTEGER);
    const json = parsed.values['json'] === true;
    const listing = parsed.values['listing'] === true;
    if (listing && mode !== 'binary-translation') throw new UsageError('--listing shows the translation cache: it needs --mode bt');
    const defines = parseDefines(stringOptions(parsed, 'define'));
    if (!modeAvailable(mode, engineAvailable)) {
      process.stderr.write(`ringlab run: mode ${mode} is not available in this build; use --mode native\n`);
      return EXIT_STATUS.USAGE;
    }
    const hypervisor = hvText === undefined ? undefined : parseHypervisorType(hvText);
    const vmcs = parseVmcsOption(stringOption(parsed, 'vmcs'));

    // A reader that goes away (`| head`) is not an error of ours: no stack trace from the stream.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });
    const bytes = readInputBytes(file);
    const outcome = runGuest({ path: file, bytes }, {
      files: new NodeSourceFiles(stringOptions(parsed, 'include')),
      defines,
      ...(memoryMiB !== undefined ? { memoryMiB } : {}),
      ...(maxInstructions !== undefined ? { maxInstructions } : {}),
      keepConsole: json,
      mode,
      ...(parsed.values['interpret'] === true ? { jit: false } : {}),
      ...(hypervisor !== undefined ? { hypervisor } : {}),
      ...(vmcs !== undefined ? { vmcs } : {}),
      ...(json ? {} : { onConsole: writeStdout }),
    });

    if (!outcome.booted) {
      if (outcome.reason === 'assembly-error') reportDiagnostics(outcome.diagnostics);
      else process.stderr.write(`ringlab run: ${outcome.message}\n`);
      if (json) printJson({ exit: outcome.exit, console: '' } satisfies EarlyReport);
      return outcome.exit.code;
    }
    const { run, exit } = outcome;
    reportDiagnostics(run.image.warnings);
    if (json) printJson(run.report());
    const engine = run.hypervisor?.engine;
    if (listing && engine !== undefined && isBinaryTranslation(engine)) process.stderr.write(formatTranslationListing(engine.listing()));
    for (const note of run.notes()) process.stderr.write(`ringlab run: note: ${note.message}\n`);
    const message = stopMessage(exit.reason, exit.detail, run.report());
    if (message !== undefined) process.stderr.write(`ringlab run: ${message}\n`);
    if (exit.reason === 'internal-error' && process.env['RINGLAB_DEBUG'] === '1' && run.internalError instanceof Error) {
      process.stderr.write(`${run.internalError.stack ?? ''}\n`);
    }
    return processExitStatus(exit.code);
  },
};

/** Console bytes straight to fd 1: synchronous, so output interleaves with the run as it happens.
 *  False once the reader has gone (EPIPE): the run then ends instead of computing for nobody. */
function writeStdout(bytes: Uint8Array): boolean {
  if (process.stdout.write === originalStdoutWrite) {
    let at = 0;
    while (at < bytes.length) {
      try {
        at += fs.writeSync(1, bytes, at);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') return false;
        if (code !== 'EAGAIN') throw e;
        // A non-blocking pipe that is full: hand the rest to the stream, which queues it.
        process.stdout.write(bytes.subarray(at));
        return true;
      }
    }
    return true;
  }
  process.stdout.write(bytes);
  return true;
}
// Tests capture process.stdout.write in-process; then the console must go through it.
const originalStdoutWrite = process.stdout.write;

function printJson(value: RunReport | EarlyReport): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** What stderr says about how the run ended; nothing when the guest ended it on purpose. */
function stopMessage(reason: string, detail: string | undefined, report: RunReport): string | undefined {
  const at = `at eip 0x${hex8(report.registers.eip)}, cpl ${report.cpl}, after ${report.stats.instructions} instructions`;
  switch (reason) {
    case 'exit':
    case 'halt':
    case 'console-closed': return undefined;
    case 'max-instructions': return `stopped: --max-instructions reached (${at})`;
    case 'triple-fault': return `the guest triple-faulted: an exception could not be delivered, not even as a double fault (${at})`;
    case 'unsupported': return `stopped: ${detail ?? 'unsupported feature'} (${at})`;
    case 'guest-error': return `the hypervisor stopped the guest: ${detail ?? 'guest error'} (${at})`;
    case 'internal-error': return `internal error: ${detail ?? ''} (please report it; RINGLAB_DEBUG=1 shows where)`;
    default: return `stopped: ${reason}${detail ? `: ${detail}` : ''} (${at})`;
  }
}

function parseVmcsOption(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try { value = JSON.parse(text); } catch { throw new UsageError(`--vmcs: '${text}' is not JSON`); }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--vmcs: expected a JSON object of VMCS controls');
  return value as Record<string, unknown>;
}

function hex8(value: number): string { return (value >>> 0).toString(16).toUpperCase().padStart(8, '0'); }
