// Debugger expressions: conditions (`eax == 5 && cpl == 3`, `cr3 != 0x5000`), watch and evaluate
// (`dword [esp+4]`, `byte [label+2]`, `message + 3`). C operators and precedence over unsigned
// 32-bit values; names are registers, then labels; `[x]` reads a dword unless sized. Errors are
// values with a message, never exceptions.

export interface EvalContext {
  /** A register or label value, or undefined. */
  resolve(name: string): number | undefined;
  /** `size` bytes at linear `addr`, or null when unreadable. */
  readMemory(addr: number, size: 1 | 2 | 4): number | null;
}

export type EvalResult =
  | { readonly ok: true; readonly value: number; /** Set for memory expressions: where and how wide. */ readonly memory?: { addr: number; size: 1 | 2 | 4 } }
  | { readonly ok: false; readonly error: string };

const SIZES: Readonly<Record<string, 1 | 2 | 4>> = { byte: 1, word: 2, dword: 4 };
// Binary operators by precedence level, lowest first (C's order).
const LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
const TOKEN = /\s*(0x[0-9a-f]+|[0-9][0-9a-f]*h\b|0b[01]+|[0-9]+|[A-Za-z_.$?@][\w.$?@#~]*|==|!=|<=|>=|<<|>>|&&|\|\||[-+*/%&|^~!<>()[\]])/iy;

class Fail extends Error {}

export function evaluate(text: string, ctx: EvalContext): EvalResult {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  const src = text.trim();
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (m === null) return { ok: false, error: `unexpected '${src.slice(at).trim()[0] ?? ''}' at column ${at + 1} of '${src}'` };
    tokens.push(m[1]!);
  }
  if (tokens.length === 0) return { ok: false, error: 'empty expression' };
  let pos = 0;
  let lastMemory: { addr: number; size: 1 | 2 | 4 } | undefined;
  const peek = (): string | undefined => tokens[pos];
  const expect = (t: string): void => {
    if (tokens[pos] !== t) throw new Fail(`expected '${t}'${tokens[pos] !== undefined ? ` before '${tokens[pos]}'` : ' at the end'}`);
    pos++;
  };

  const binary = (level: number): number => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const op = peek();
      if (op === undefined || !LEVELS[level]!.includes(op)) return left;
      pos++;
      lastMemory = undefined;
      const right = binary(level + 1);
      left = apply(op, left, right);
    }
  };
  const unary = (): number => {
    const t = peek();
    if (t === '-') { pos++; lastMemory = undefined; return (-unary()) >>> 0; }
    if (t === '+') { pos++; return unary(); }
    if (t === '~') { pos++; lastMemory = undefined; return (~unary()) >>> 0; }
    if (t === '!') { pos++; lastMemory = undefined; return unary() === 0 ? 1 : 0; }
    return primary();
  };
  const primary = (): number => {
    const t = tokens[pos++];
    if (t === undefined) throw new Fail('the expression ends too early');
    if (t === '(') { const v = binary(0); expect(')'); return v; }
    const lower = t.toLowerCase();
    const size = SIZES[lower];
    if (size !== undefined || t === '[') {
      if (size !== undefined) expect('[');
      const addr = binary(0);
      expect(']');
      const width = size ?? 4;
      const v = ctx.readMemory(addr, width);
      if (v === null) throw new Fail(`cannot read ${width} byte(s) at 0x${addr.toString(16).padStart(8, '0')}: not mapped`);
      lastMemory = { addr, size: width };
      return v;
    }
    const n = parseNumber(lower);
    if (n !== undefined) return n;
    if (/^[A-Za-z_.$?@]/.test(t)) {
      const v = ctx.resolve(t);
      if (v === undefined) throw new Fail(`'${t}' is not a register or a label`);
      return v >>> 0;
    }
    throw new Fail(`unexpected '${t}'`);
  };

  try {
    const value = binary(0);
    if (pos < tokens.length) throw new Fail(`unexpected '${tokens[pos]}'`);
    return lastMemory !== undefined && tokens.length > 0 ? { ok: true, value, memory: lastMemory } : { ok: true, value };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: `${e.message} in '${src}'` };
    throw e;
  }
}

function parseNumber(t: string): number | undefined {
  if (/^0x[0-9a-f]+$/.test(t)) return parseInt(t.slice(2), 16) >>> 0;
  if (/^0b[01]+$/.test(t)) return parseInt(t.slice(2), 2) >>> 0;
  if (/^[0-9][0-9a-f]*h$/.test(t)) return parseInt(t.slice(0, -1), 16) >>> 0;
  if (/^[0-9]+$/.test(t)) return Number(t) >>> 0;
  return undefined;
}

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '||': return a !== 0 || b !== 0 ? 1 : 0;
    case '&&': return a !== 0 && b !== 0 ? 1 : 0;
    case '|': return (a | b) >>> 0;
    case '^': return (a ^ b) >>> 0;
    case '&': return (a & b) >>> 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '<<': return (a << (b & 31)) >>> 0;
    case '>>': return a >>> (b & 31);
    case '+': return (a + b) >>> 0;
    case '-': return (a - b) >>> 0;
    case '*': return Number((BigInt(a) * BigInt(b)) & 0xffffffffn);
    case '/': if (b === 0) throw new Fail('division by zero'); return Math.floor(a / b) >>> 0;
    case '%': if (b === 0) throw new Fail('division by zero'); return (a % b) >>> 0;
    default: throw new Fail(`unknown operator '${op}'`);
  }
}
