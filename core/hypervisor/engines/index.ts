// Loads every engine so each registers itself with the Hypervisor.
import './trap';
import './hw';
import './bt';
import './pv';
