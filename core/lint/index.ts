// core/lint: the analysis behind `ringlab lint` and the language server's diagnostics. No
// protocol imports: callers map LintDiagnostic to their own output.

export { lint, lintSource, type LintResult } from './lint';
export { DEFAULT_LINT_MODE, type LintDiagnostic, type LintOptions, type LintSeverity } from './types';
export { CODES_BY_CLASS, modeClause, severityOf, VIRTUAL_MODE_NAMES, type LintCode } from './policy';
export { PV_HYPERCALLS, PV_HYPERCALL_TABLE, pvReplacement, type PvHypercall } from './hypercalls';
