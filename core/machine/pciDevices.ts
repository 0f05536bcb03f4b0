// The PCI functions on RingLab's bus 0: the Intel 440BX host bridge at 00:00.0 and a DEC 21140
// Fast Ethernet controller at 00:03.0 (configuration space only: no NIC registers behind its BARs).

import type { PciFunctionSpec } from './pciFunction';

export const I440BX_HOST_BRIDGE: PciFunctionSpec = {
  vendorId: 0x8086,
  deviceId: 0x7190,
  revision: 0x03,
  classCode: 0x060000, // bridge, host bridge
  headerType: 0x00,
  command: 0x0006, // memory space and bus master enabled, as firmware leaves it
  status: 0x0210, // capabilities list absent; 66 MHz-capable bit off; medium DEVSEL
  commandWritableMask: 0x0000,
};

/** The NIC's BARs are placed where SeaBIOS would put them: I/O at 0xC000, memory below 4 GiB. */
export const DEC_21140_NIC: PciFunctionSpec = {
  vendorId: 0x1011,
  deviceId: 0x0009,
  revision: 0x22, // 21140-AF
  classCode: 0x020000, // network controller, Ethernet
  headerType: 0x00,
  command: 0x0007,
  status: 0x0280, // fast back-to-back capable, medium DEVSEL
  commandWritableMask: 0x0147, // I/O, memory, bus master, parity error response, SERR#
  interruptPin: 1, // INTA#
  interruptLine: 11,
  bars: [
    { index: 0, kind: 'io', sizeBytes: 128, assignedAddr: 0xc000 }, // CSRs through I/O space
    { index: 1, kind: 'memory', sizeBytes: 128, assignedAddr: 0xfebf0000 }, // CSRs through memory
  ],
};
