// Paging: 4 KiB and 4 MiB pages, accessed and dirty bits, #PF error codes and CR2, CR0.WP,
// U/S, and the TLB (stale until INVLPG or a CR3 load, as on hardware).

import * as assert from 'assert';
import { dieCode, exitCode, runKernelBody, toRing3 } from './guestKernel';

/** Identity-maps the first 4 MiB with 4 KiB user/RW pages (pt0), maps nothing else, enables paging. */
const PAGING_ON = `
  mov edi, pt0
  mov eax, 0x007
  mov ecx, 1024
fill_pt0:
  mov [edi], eax
  add eax, 0x1000
  add edi, 4
  loop fill_pt0
  mov dword [pd], pt0 + 7
  mov eax, pd
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax`;

const TABLES = `
align 4096
pd: times 4096 db 0
pt0: times 4096 db 0
pt1: times 4096 db 0
frame_a: times 4096 db 0
frame_b: times 4096 db 0`;

/** Maps linear 0x40000000 + n * 4 KiB -> `frame` with `flags` through pt1. */
function map(n: number, frame: string, flags: number): string {
  return `
  mov dword [pd + 0x100 * 4], pt1 + 7
  mov dword [pt1 + ${n * 4}], ${frame} + ${flags}`;
}

describe('cpu/system: paging', () => {
  it('translates 4 KiB pages and sets accessed, then dirty, in the PDE and PTE', () => {
    const r = runKernelBody(`${PAGING_ON}${map(0, 'frame_a', 0x3)}
  mov eax, [0x40000010]
  mov eax, [pt1]
  mov [pte_after_read], eax
  mov dword [0x40000010], 0xCAFEF00D
  mov eax, [pt1]
  mov [pte_after_write], eax
  mov eax, [pd + 0x100 * 4]
  mov [pde_after], eax`, `pte_after_read: dd 0\npte_after_write: dd 0\npde_after: dd 0${TABLES}`);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: exitCode(0) }, JSON.stringify(r.exceptions()));
    assert.strictEqual(r.read32(r.sym('frame_a') + 0x10), 0xcafef00d);
    assert.strictEqual(r.read32(r.sym('pte_after_read')) & 0x60, 0x20, 'A set, D clear after a read');
    assert.strictEqual(r.read32(r.sym('pte_after_write')) & 0x60, 0x60, 'D set after a write');
    assert.strictEqual(r.read32(r.sym('pde_after')) & 0x20, 0x20, 'PDE accessed');
  });

  it('#PF for a not-present page: error code 0 (read) or 2 (write), CR2 = the address', () => {
    const r = runKernelBody(`${PAGING_ON}
  mov dword [resume], after_read
read_fault:
  mov eax, [0x40001234]
after_read:
  mov dword [resume], after_write
write_fault:
  mov byte [0x40005678], 1
after_write:`, TABLES);
    const ex = r.exceptions();
    assert.deepStrictEqual(ex.map((e) => [e.vector, e.errorCode, e.cr2, e.eip]), [
      [14, 0, 0x40001234, r.sym('read_fault')],
      [14, 2, 0x40005678, r.sym('write_fault')],
    ]);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: exitCode(0) });
  });

  it('4 MiB pages under CR4.PSE; reserved bit 21 set gives #PF with RSVD', () => {
    const r = runKernelBody(`${PAGING_ON}
  mov eax, cr4
  or eax, 0x10
  mov cr4, eax
  mov dword [pd + 0x200 * 4], 0x00000083      ; 0x80000000 -> phys 0, 4 MiB, RW
  mov eax, [0x80000000 + frame_a]
  mov [via_big], eax
  mov dword [pd + 0x201 * 4], 0x00200083      ; bit 21 set: reserved (bits 20:13 are PSE-36 address bits)
  mov dword [resume], after_rsvd
rsvd_fault:
  mov eax, [0x80400000]
after_rsvd:`, `via_big: dd 0${TABLES}`, );
    const ex = r.exceptions();
    assert.deepStrictEqual(ex.map((e) => [e.vector, e.errorCode, e.cr2]), [[14, 0x8, 0x80400000]], 'RSVD without P, as qemu-system-i386 reports it');
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: exitCode(0) });
  });

  it('CR0.WP: a supervisor write to a read-only page succeeds without WP and faults with it', () => {
    const r = runKernelBody(`${PAGING_ON}${map(0, 'frame_a', 0x1)}
  mov dword [0x40000000], 0x11111111
  mov eax, cr0
  or eax, 0x10000
  mov cr0, eax
  mov dword [resume], after_wp
wp_fault:
  mov dword [0x40000000], 0x22222222
after_wp:`, TABLES);
    assert.strictEqual(r.read32(r.sym('frame_a')), 0x11111111);
    assert.deepStrictEqual(r.exceptions().map((e) => [e.vector, e.errorCode, e.cr2]), [[14, 0x3, 0x40000000]]);
  });

  it('U/S: ring 3 touching a supervisor page gets #PF with P and U set', () => {
    const r = runKernelBody(`${PAGING_ON}${map(0, 'frame_a', 0x3)}${map(1, 'frame_b', 0x7)}
${toRing3('user')}
user:
  mov dword [0x40001000], 5          ; user page: fine
  mov eax, [0x40000000]              ; supervisor page: #PF(5)
  int 0x80`, TABLES);
    assert.strictEqual(r.read32(r.sym('frame_b')), 5);
    const [e] = r.exceptions();
    assert.deepStrictEqual([e!.vector, e!.errorCode, e!.cr2], [14, 0x5, 0x40000000]);
    assert.deepStrictEqual(r.stop, { reason: 'exit', code: dieCode(14) });
  });

  it('the TLB keeps a stale translation until INVLPG or a CR3 load', () => {
    const r = runKernelBody(`${PAGING_ON}${map(0, 'frame_a', 0x3)}
  mov dword [frame_a], 0xAAAA
  mov dword [frame_b], 0xBBBB
  mov eax, [0x40000000]
  mov [seen1], eax
  mov dword [pt1], frame_b + 3      ; remap without telling the TLB
  mov eax, [0x40000000]
  mov [seen2], eax
  invlpg [0x40000000]
  mov eax, [0x40000000]
  mov [seen3], eax
  mov dword [pt1], frame_a + 3
  mov eax, cr3
  mov cr3, eax
  mov eax, [0x40000000]
  mov [seen4], eax`, `seen1: dd 0\nseen2: dd 0\nseen3: dd 0\nseen4: dd 0${TABLES}`);
    assert.deepStrictEqual(['seen1', 'seen2', 'seen3', 'seen4'].map((s) => r.read32(r.sym(s))), [0xaaaa, 0xaaaa, 0xbbbb, 0xaaaa]);
  });

  it('an access that crosses into a missing page faults on the second page before writing anything', () => {
    const r = runKernelBody(`${PAGING_ON}${map(0, 'frame_a', 0x3)}
  mov dword [resume], after_cross
cross:
  mov dword [0x40000ffe], 0x12345678
after_cross:`, TABLES);
    assert.deepStrictEqual(r.exceptions().map((e) => [e.vector, e.errorCode, e.cr2]), [[14, 0x2, 0x40001000]]);
    assert.strictEqual(r.machine.memory.read16(r.sym('frame_a') + 0xffe), 0, 'nothing written to the first page');
  });
});
