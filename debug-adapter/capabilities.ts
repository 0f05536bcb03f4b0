// What the adapter tells the client it can do, declared once (initialize).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXCEPTION_FILTERS } from '../core/debug';

export function capabilities(): DebugProtocol.Capabilities {
  return {
    supportsConfigurationDoneRequest: true,
    supportsFunctionBreakpoints: true,
    supportsConditionalBreakpoints: true,
    supportsHitConditionalBreakpoints: true,
    supportsLogPoints: true,
    supportsEvaluateForHovers: true,
    supportsSetVariable: true,
    supportsRestartRequest: true,
    supportsTerminateRequest: true,
    supportsExceptionInfoRequest: true,
    supportsExceptionFilterOptions: true,
    supportsDataBreakpoints: true,
    supportsReadMemoryRequest: true,
    supportsWriteMemoryRequest: true,
    supportsDisassembleRequest: true,
    supportsInstructionBreakpoints: true,
    supportsSteppingGranularity: true,
    supportsStepBack: false,
    exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({
      filter: f.id,
      label: f.label,
      description: f.description,
      default: false,
      supportsCondition: f.conditionDescription !== undefined,
      ...(f.conditionDescription !== undefined ? { conditionDescription: f.conditionDescription } : {}),
    })),
  };
}
