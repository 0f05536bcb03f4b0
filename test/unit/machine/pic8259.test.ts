import * as assert from 'assert';
import { IoBus } from '../../../core/machine/ioBus';
import { Pic8259Pair } from '../../../core/machine/pic8259';

/** The remap every protected-mode kernel does: master to 0x20, slave to 0x28, 8086 mode. */
function initAsGuest(): { pic: Pic8259Pair; bus: IoBus } {
  const pic = new Pic8259Pair();
  const bus = new IoBus();
  bus.register(0x20, 2, pic);
  bus.register(0xa0, 2, pic);
  bus.out8(0x20, 0x11); bus.out8(0xa0, 0x11); // ICW1: edge, cascade, ICW4 needed
  bus.out8(0x21, 0x20); bus.out8(0xa1, 0x28); // ICW2: vector bases
  bus.out8(0x21, 0x04); bus.out8(0xa1, 0x02); // ICW3: slave on IRQ2
  bus.out8(0x21, 0x01); bus.out8(0xa1, 0x01); // ICW4: 8086 mode
  bus.out8(0x21, 0x00); bus.out8(0xa1, 0x00); // unmask all
  return { pic, bus };
}

function eoi(bus: IoBus, port = 0x20): void { bus.out8(port, 0x20); }

describe('machine: 8259A PIC pair', () => {
  it('starts as SeaBIOS leaves it on qemu-system-i386: IMR 0xB8/0x8E, vectors 0x08 and 0x70', () => {
    const pic = new Pic8259Pair();
    const bus = new IoBus();
    bus.register(0x20, 2, pic);
    bus.register(0xa0, 2, pic);
    assert.strictEqual(bus.in8(0x21), 0xb8);
    assert.strictEqual(bus.in8(0xa1), 0x8e);
    pic.raiseIrq(0);
    assert.strictEqual(pic.acknowledge(), 0x08);
  });

  it('after the ICW1-4 init sequence delivers IRQ0 as the programmed vector', () => {
    const { pic } = initAsGuest();
    assert.strictEqual(pic.hasPendingInterrupt(), false);
    pic.raiseIrq(0);
    assert.strictEqual(pic.hasPendingInterrupt(), true);
    assert.strictEqual(pic.acknowledge(), 0x20);
    assert.strictEqual(pic.hasPendingInterrupt(), false);
  });

  it('ICW1 clears the mask register', () => {
    const { bus } = initAsGuest();
    bus.out8(0x21, 0xfe);
    bus.out8(0x20, 0x11);
    bus.out8(0x21, 0x20); bus.out8(0x21, 0x04); bus.out8(0x21, 0x01);
    assert.strictEqual(bus.in8(0x21), 0x00);
  });

  it('a masked IRQ stays in IRR and is delivered once unmasked', () => {
    const { pic, bus } = initAsGuest();
    bus.out8(0x21, 0x01);
    pic.raiseIrq(0);
    assert.strictEqual(pic.hasPendingInterrupt(), false);
    bus.out8(0x20, 0x0a); // OCW3: read IRR
    assert.strictEqual(bus.in8(0x20), 0x01);
    bus.out8(0x21, 0x00);
    assert.strictEqual(pic.acknowledge(), 0x20);
  });

  it('OCW3 selects IRR or ISR for reads of the command port; ISR holds until EOI', () => {
    const { pic, bus } = initAsGuest();
    pic.raiseIrq(3);
    pic.acknowledge();
    bus.out8(0x20, 0x0b); // read ISR
    assert.strictEqual(bus.in8(0x20), 0x08);
    eoi(bus);
    assert.strictEqual(bus.in8(0x20), 0x00);
  });

  it('lower IRQ numbers have priority, and a higher-priority IRQ nests inside a lower one', () => {
    const { pic, bus } = initAsGuest();
    pic.raiseIrq(3);
    pic.raiseIrq(1);
    assert.strictEqual(pic.acknowledge(), 0x21);
    assert.strictEqual(pic.hasPendingInterrupt(), false, 'IRQ3 waits while IRQ1 is in service');
    eoi(bus);
    assert.strictEqual(pic.acknowledge(), 0x23);
    pic.raiseIrq(5);
    assert.strictEqual(pic.hasPendingInterrupt(), false, 'IRQ5 ranks below IRQ3 in service');
    pic.lowerIrq(1);
    pic.raiseIrq(1);
    assert.strictEqual(pic.hasPendingInterrupt(), true, 'IRQ1 preempts IRQ3');
    assert.strictEqual(pic.acknowledge(), 0x21);
    eoi(bus); // non-specific EOI ends IRQ1, the highest in service
    eoi(bus); // then IRQ3
    assert.strictEqual(pic.acknowledge(), 0x25);
  });

  it('specific EOI clears exactly the named level', () => {
    const { pic, bus } = initAsGuest();
    pic.raiseIrq(4);
    pic.acknowledge();
    pic.raiseIrq(1);
    pic.acknowledge();
    bus.out8(0x20, 0x64); // specific EOI for IRQ4
    bus.out8(0x20, 0x0b);
    assert.strictEqual(bus.in8(0x20), 0x02);
  });

  it('is edge-triggered: holding a line high requests one interrupt', () => {
    const { pic, bus } = initAsGuest();
    pic.raiseIrq(0);
    pic.acknowledge();
    eoi(bus);
    pic.raiseIrq(0);
    assert.strictEqual(pic.hasPendingInterrupt(), false);
    pic.lowerIrq(0);
    pic.raiseIrq(0);
    assert.strictEqual(pic.hasPendingInterrupt(), true);
  });

  it('cascades slave IRQs through master IRQ2 and needs an EOI to both chips', () => {
    const { pic, bus } = initAsGuest();
    pic.raiseIrq(12);
    assert.strictEqual(pic.acknowledge(), 0x2c);
    bus.out8(0xa0, 0x0b); bus.out8(0x20, 0x0b);
    assert.strictEqual(bus.in8(0xa0), 0x10);
    assert.strictEqual(bus.in8(0x20), 0x04);
    pic.raiseIrq(3);
    assert.strictEqual(pic.hasPendingInterrupt(), false, 'IRQ3 ranks below the cascade in service');
    eoi(bus, 0xa0);
    eoi(bus, 0x20);
    assert.strictEqual(pic.acknowledge(), 0x23);
  });

  it('masking IRQ2 on the master blocks every slave IRQ', () => {
    const { pic, bus } = initAsGuest();
    bus.out8(0x21, 0x04);
    pic.raiseIrq(8);
    assert.strictEqual(pic.hasPendingInterrupt(), false);
  });

  it('an acknowledge with nothing pending gives the spurious vector (IRQ7)', () => {
    const { pic } = initAsGuest();
    assert.strictEqual(pic.acknowledge(), 0x27);
  });

  it('automatic EOI mode (ICW4 bit 1) leaves nothing in service', () => {
    const pic = new Pic8259Pair();
    const bus = new IoBus();
    bus.register(0x20, 2, pic);
    bus.out8(0x20, 0x13); bus.out8(0x21, 0x40); bus.out8(0x21, 0x03); bus.out8(0x21, 0x00);
    pic.raiseIrq(1);
    assert.strictEqual(pic.acknowledge(), 0x41);
    bus.out8(0x20, 0x0b);
    assert.strictEqual(bus.in8(0x20), 0x00);
  });

  it('rotate on non-specific EOI makes the serviced IRQ the lowest priority', () => {
    const { pic, bus } = initAsGuest();
    pic.raiseIrq(0);
    pic.acknowledge();
    bus.out8(0x20, 0xa0); // rotate on non-specific EOI
    pic.lowerIrq(0);
    pic.raiseIrq(0);
    pic.raiseIrq(5);
    assert.strictEqual(pic.acknowledge(), 0x25);
  });

  it('poll mode (OCW3 bit 2) reads 0x80 | IRQ and acknowledges it', () => {
    const { pic, bus } = initAsGuest();
    pic.raiseIrq(6);
    bus.out8(0x20, 0x0c);
    assert.strictEqual(bus.in8(0x20), 0x86);
    bus.out8(0x20, 0x0b);
    assert.strictEqual(bus.in8(0x20), 0x40);
  });
});
