export { Jit, DEFAULT_JIT_THRESHOLD, type JitOptions } from './jit';
export { JitStats } from './jitStats';
export type { CompiledBlock } from './compiledBlock';
export { BlockCache, DEFAULT_MAX_BLOCKS } from './blockCache';
export { MAX_BLOCK_INSTRUCTIONS, decodeBlock } from './blockDecoder';
export { blockSource } from './blockSource';
