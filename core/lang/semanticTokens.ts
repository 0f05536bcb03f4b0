// Semantic tokens as plain data: each token's line, columns, type and modifiers, by name. The
// names are LSP's standard token types (plus `privileged` and `sensitive` modifiers from the
// table's privilege class), so the server only encodes them against its legend.

import { lookupMnemonic } from '../isa';
import { lineShape, operandRole } from './lineShape';
import { scanLine } from './scan';
import { splitLines } from './text';

export const TOKEN_TYPES = ['keyword', 'macro', 'variable', 'function', 'number', 'string', 'comment', 'type', 'constant'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export const TOKEN_MODIFIERS = ['declaration', 'privileged', 'sensitive'] as const;
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

/** Bit of each modifier in a token's `modifiers` mask, in TOKEN_MODIFIERS order. */
export const MODIFIER_BIT: Readonly<Record<TokenModifier, number>> = { declaration: 1, privileged: 2, sensitive: 4 };

export interface SemanticToken {
  /** 0-based line and start column (the encoding LSP uses), length in UTF-16 units. */
  readonly line: number;
  readonly start: number;
  readonly length: number;
  readonly type: number;
  readonly modifiers: number;
}

const T: Readonly<Record<TokenType, number>> = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;

/** Tokens of a whole text in order (lines, then columns). */
export function semanticTokens(text: string): SemanticToken[] {
  const out: SemanticToken[] = [];
  const lines = splitLines(text);
  for (let line = 0; line < lines.length; line++) {
    const s = lines[line]!;
    if (s.length === 0) continue;
    const tokens = scanLine(s);
    const shape = lineShape(s, tokens);
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      const push = (type: number, modifiers = 0): void => { out.push({ line, start: t.start, length: t.end - t.start, type, modifiers }); };
      switch (t.kind) {
        case 'comment': push(T.comment); break;
        case 'string': push(T.string); break;
        case 'number': push(T.number); break;
        case 'preprocessor': push(T.macro); break;
        case 'operator': break;
        case 'identifier': {
          const w = s.slice(t.start, t.end);
          if (k === shape.label) { push(shape.equ ? T.constant : T.function, MODIFIER_BIT.declaration); break; }
          if (shape.ops.includes(k)) {
            const def = lookupMnemonic(w);
            const cls = def?.privilege;
            push(def ? T.keyword : T.macro, cls === 'sensitive' ? MODIFIER_BIT.sensitive : cls && cls !== 'unprivileged' ? MODIFIER_BIT.privileged : 0);
            break;
          }
          const role = operandRole(w);
          if (role === 'register') push(T.variable);
          else if (role === 'size' || role === 'keyword') push(T.type);
          else if (role === 'directive') push(T.macro);
          else if (shape.refs.includes(k)) push(T.function);
          break;
        }
      }
    }
  }
  return out;
}
