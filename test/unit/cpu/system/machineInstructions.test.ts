// CPUID, RDMSR/WRMSR, RDTSC and CR0/CR4 at ring 0, and the hooks a hypervisor uses: every event
// through onEvent, chosen forms through the interceptForms bitset, triple fault through onTripleFault.

import * as assert from 'assert';
import { FORMS } from '../../../../core/isa';
import { CPUID_FEATURES_EDX, CPUID_VENDOR } from '../../../../core/cpu/cpuid';
import { EVENT } from '../../../../core/cpu/interrupts';
import { exitCode, kernelSource, runKernelBody, runSource } from './guestKernel';

describe('cpu/system: machine instructions and hypervisor hooks', () => {
  it('CPUID leaf 0 gives the vendor string, leaf 1 the implemented features', () => {
    const r = runKernelBody(`
  xor eax, eax
  cpuid
  mov [vendor], ebx
  mov [vendor + 4], edx
  mov [vendor + 8], ecx
  mov eax, 1
  cpuid
  mov [features], edx`, 'vendor: times 12 db 0\nfeatures: dd 0');
    const bytes = r.machine.memory.bytes.subarray(r.sym('vendor'), r.sym('vendor') + 12);
    assert.strictEqual(String.fromCharCode(...bytes), CPUID_VENDOR);
    assert.strictEqual(r.read32(r.sym('features')), CPUID_FEATURES_EDX);
    assert.strictEqual(CPUID_FEATURES_EDX & 1, 0, 'no x87 FPU');
  });

  it('RDMSR/WRMSR of the SYSENTER MSRs round-trip; an unknown MSR is #GP(0)', () => {
    const r = runKernelBody(`
  mov ecx, 0x175
  mov eax, 0xDEADBEEF
  xor edx, edx
  wrmsr
  xor eax, eax
  rdmsr
  mov [msr_value], eax
  mov dword [resume], after_bad
  mov ecx, 0x12345
bad_msr:
  rdmsr
after_bad:`, 'msr_value: dd 0');
    assert.strictEqual(r.read32(r.sym('msr_value')), 0xdeadbeef);
    assert.deepStrictEqual(r.exceptions().map((e) => [e.vector, e.errorCode, e.eip]), [[13, 0, r.sym('bad_msr')]]);
  });

  it('RDTSC counts virtual time: deterministic between runs', () => {
    const body = '  rdtsc\n  mov [tsc], eax\n  mov [tsc + 4], edx';
    const a = runKernelBody(body, 'tsc: dd 0, 0');
    const b = runKernelBody(body, 'tsc: dd 0, 0');
    assert.strictEqual(a.read32(a.sym('tsc')), b.read32(b.sym('tsc')));
    assert.ok(a.read32(a.sym('tsc')) > 0);
  });

  it('setting an unsupported CR4 bit (PAE) is #GP(0)', () => {
    const r = runKernelBody(`
  mov dword [resume], after_pae
  mov eax, 0x20
pae:
  mov cr4, eax
after_pae:`);
    assert.deepStrictEqual(r.exceptions().map((e) => [e.vector, e.errorCode]), [[13, 0]]);
  });

  it('onEvent sees every exception first and can swallow it; interceptForms catches chosen forms', () => {
    const events: [number, number, number][] = [];
    const intercepted: string[] = [];
    const cpuidForm = FORMS.find((f) => f.mnemonic === 'cpuid')!.id;
    const r = runSource(kernelSource(`
  mov eax, 7
  cpuid
  mov [after_cpuid], eax
  int 0x80
  mov al, 3
  out 0xf4, al`, 'after_cpuid: dd 0'), 100_000, (cpu) => {
      cpu.interceptForms = new Uint8Array(FORMS.length);
      cpu.interceptForms[cpuidForm] = 1;
      cpu.hooks = {
        onIntercept: (d) => {
          intercepted.push(d.form!.mnemonic);
          cpu.state.regs[0] = 0x1234; // the "VMM" emulates CPUID
          return true;
        },
        onEvent: (vector, errorCode, kind) => {
          events.push([vector, errorCode, kind]);
          return vector === 0x80; // swallow the system call
        },
      };
    });
    assert.deepStrictEqual(intercepted, ['cpuid']);
    assert.strictEqual(r.read32(r.sym('after_cpuid')), 0x1234);
    assert.deepStrictEqual(events, [[0x80, 0, EVENT.SOFTWARE]]);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: exitCode(3) });
  });

  it('single-stepping executes one instruction per call', () => {
    const r = runSource(kernelSource('  nop'), 0);
    const before = r.cpu.instructionsRetired;
    const eip = r.cpu.state.eip;
    const stop = r.cpu.step();
    assert.strictEqual(stop.reason, 'step');
    assert.strictEqual(r.cpu.instructionsRetired, before + 1);
    assert.notStrictEqual(r.cpu.state.eip, eip);
  });
});

describe('cpu/system: decoded-instruction cache', () => {
  it('self-modifying code runs the new bytes (the cached decode is dropped on write)', () => {
    const r = runKernelBody(`
  mov ecx, 3
again:
patched:
  mov eax, 1                       ; B8 01 00 00 00: the immediate is rewritten below
  add [total], eax
  mov dword [patched + 1], 10
  loop again`, 'total: dd 0');
    assert.strictEqual(r.read32(r.sym('total')), 1 + 10 + 10);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: exitCode(0) });
  });
});
