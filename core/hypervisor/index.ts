// core/hypervisor: the VMM and its engines (trap, bt, pv, hw), shadow paging and the cost model.
import './engines';

export { Hypervisor, engineAvailable, type HypervisorOptions } from './hypervisor';
export type { Engine, EngineSettings, VmmContext } from './engine';
export { COSTS, CostSheet, type CostConstant, type CostLine, type CostName } from './costModel';
export { VmmCounters } from './counters';
export { EXIT_REASON, EXIT_REASON_NAMES } from './exitReasons';
export type { Hole, VmmEvent, VmmEventKind } from './events';
export type { VcpuView } from './vcpu';
export { isBinaryTranslation, type BinaryTranslationEngine } from './engines/bt';
export { listTranslationCache, formatTranslationListing, type TranslationListing } from './translationListing';
export type { TranslationUnit, TranslatedInstruction } from './translator';
