// Loads every semantics module so its defineSemantics calls run before the CPU builds its
// handler table. A new execute/*.ts file is added here.

// Integer semantics
import './alu';
import './bcd';
import './bits';
import './branch';
import './move';
import './muldiv';
import './shift';
import './stack';
import './string';
// System semantics
import './controlTransfer';
import './descriptorQuery';
import './flagsControl';
import './io';
import './segmentLoad';
import './system';
import './systemTables';
