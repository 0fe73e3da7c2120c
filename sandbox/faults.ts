// Fault injection: rules are matched per request (method + path filter), fire with probability
// `rate`, and expire after `count` hits so tests can be deterministic.
import * as z from 'zod';
import type { FaultRule } from './types';

// ---- path patterns ---------------------------------------------------------------------------
// A rule's `path` is not a JavaScript RegExp: one crafted regex (e.g. ^(a+)+$) could stall the
// whole server. It is a small pattern language without groups or alternation, matched by an NFA
// simulation in O(path length x pattern length).

const MAX_PATTERN_LENGTH = 256;
const PATTERN_HELP =
  'Use a path prefix such as /customers, or a pattern of literal text, \\d, \\w, ., [...] classes, the quantifiers + * ?, ' +
  'an optional leading ^ and a trailing $ (e.g. ^/customers/\\d+$ or ^/contacts/[^/]+/relationships/).';

interface PatternToken {
  test: (c: string) => boolean;
  /** 0 for * and ?, 1 otherwise. */
  min: 0 | 1;
  /** True for + and *. */
  many: boolean;
}

/** A compiled `path`: always anchored at the start; a prefix unless it ends with $. */
export interface PathPattern {
  tokens: PatternToken[];
  exact: boolean;
}

class PatternError extends Error {}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isWord = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
/** Punctuation that may follow a backslash to stand for itself. */
const ESCAPABLE = /^[\\/^$.|?*+()[\]{}-]$/;

function escapeTest(c: string | undefined, at: number): (x: string) => boolean {
  if (c === 'd') return isDigit;
  if (c === 'w') return isWord;
  if (c !== undefined && ESCAPABLE.test(c)) return (x) => x === c;
  throw new PatternError(`'\\${c ?? ''}' at position ${at} is not supported`);
}

/** Parses `[...]` starting at src[start] === '['; returns the test and the index after ']'. */
function parseClass(src: string, start: number): { test: (c: string) => boolean; next: number } {
  let i = start + 1;
  const negate = src[i] === '^';
  if (negate) i++;
  const members: Array<(c: string) => boolean> = [];
  let first = true;
  for (;;) {
    const c = src[i];
    if (c === undefined) throw new PatternError(`'[' at position ${start} has no closing ']'`);
    if (c === ']' && !first) {
      i++;
      break;
    }
    first = false;
    let low: string;
    if (c === '\\') {
      const escaped = src[i + 1];
      if (escaped === 'd' || escaped === 'w') {
        members.push(escapeTest(escaped, i));
        i += 2;
        continue;
      }
      if (escaped === undefined || !ESCAPABLE.test(escaped)) throw new PatternError(`'\\${escaped ?? ''}' at position ${i} is not supported`);
      low = escaped;
      i += 2;
    } else {
      low = c;
      i++;
    }
    if (src[i] === '-' && src[i + 1] !== undefined && src[i + 1] !== ']') {
      let high = src[i + 1] as string;
      let width = 2;
      if (high === '\\') {
        const escaped = src[i + 2];
        if (escaped === undefined || !ESCAPABLE.test(escaped)) throw new PatternError(`'\\${escaped ?? ''}' at position ${i + 1} is not supported`);
        high = escaped;
        width = 3;
      }
      if (high < low) throw new PatternError(`the range '${low}-${high}' at position ${i - 1} is reversed`);
      const [from, to] = [low, high];
      members.push((x) => x >= from && x <= to);
      i += width;
    } else {
      const literal = low;
      members.push((x) => x === literal);
    }
  }
  const test = (x: string): boolean => members.some((member) => member(x)) !== negate;
  return { test, next: i };
}

/** Compiles a fault rule `path`; throws with a message that says what is wrong and what is allowed. */
export function compilePathPattern(src: string): PathPattern {
  try {
    if (src.length === 0) throw new PatternError('it is empty');
    if (src.length > MAX_PATTERN_LENGTH) throw new PatternError(`it is longer than ${MAX_PATTERN_LENGTH} characters`);
    const tokens: PatternToken[] = [];
    let exact = false;
    let i = src[0] === '^' ? 1 : 0;
    while (i < src.length) {
      const c = src[i] as string;
      let test: (x: string) => boolean;
      if (c === '$') {
        if (i !== src.length - 1) throw new PatternError(`'$' at position ${i} is only allowed at the end`);
        exact = true;
        i++;
        break;
      }
      if (c === '\\') {
        test = escapeTest(src[i + 1], i);
        i += 2;
      } else if (c === '[') {
        const characterClass = parseClass(src, i);
        test = characterClass.test;
        i = characterClass.next;
      } else if (c === '.') {
        test = () => true;
        i++;
      } else if ('()|{}]^'.includes(c)) {
        throw new PatternError(
          `'${c}' at position ${i} is not supported (no groups, alternation, counted repeats or inner anchors; escape it as \\${c} to match it literally)`,
        );
      } else if ('+*?'.includes(c)) {
        throw new PatternError(`the quantifier '${c}' at position ${i} has nothing to repeat`);
      } else {
        test = (x) => x === c;
        i++;
      }
      const quantifier = src[i];
      let token: PatternToken = { test, min: 1, many: false };
      if (quantifier === '+') token = { test, min: 1, many: true };
      else if (quantifier === '*') token = { test, min: 0, many: true };
      else if (quantifier === '?') token = { test, min: 0, many: false };
      if (quantifier === '+' || quantifier === '*' || quantifier === '?') {
        i++;
        const again = src[i];
        if (again === '+' || again === '*' || again === '?') throw new PatternError(`the quantifier '${again}' at position ${i} follows another quantifier`);
      }
      tokens.push(token);
    }
    return { tokens, exact };
  } catch (e) {
    if (e instanceof PatternError) throw new Error(`fault rule path '${src}' is not valid: ${e.message}. ${PATTERN_HELP}`);
    throw e;
  }
}

/** NFA simulation: the set of pattern positions reachable after each character. */
export function matchPath(pattern: PathPattern, path: string): boolean {
  const { tokens, exact } = pattern;
  const end = tokens.length;
  /** 1 at each pattern position the path read so far can be at. */
  let current = new Uint8Array(end + 1);
  const close = (positions: Uint8Array): void => {
    for (let k = 0; k < end; k++) {
      if (positions[k] && (tokens[k] as PatternToken).min === 0) positions[k + 1] = 1;
    }
  };
  current[0] = 1;
  close(current);
  for (const character of path) {
    if (!exact && current[end]) return true;
    const next = new Uint8Array(end + 1);
    let any = false;
    for (let k = 0; k < end; k++) {
      if (!current[k]) continue;
      const token = tokens[k] as PatternToken;
      if (!token.test(character)) continue;
      next[k + 1] = 1;
      if (token.many) next[k] = 1;
      any = true;
    }
    if (!any) return false;
    close(next);
    current = next;
  }
  return current[end] === 1;
}

/** Undefined when `path` compiles, else the reason. */
function pathPatternError(path: string): string | undefined {
  try {
    compilePathPattern(path);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export const faultRuleSchema = z
  .object({
    kind: z.enum(['latency', 'error5xx', 'rateLimit', 'reset', 'truncate']),
    method: z.string().min(1).optional(),
    path: z
      .string()
      .superRefine((value, ctx) => {
        const error = pathPatternError(value);
        if (error !== undefined) ctx.addIssue({ code: 'custom', message: error });
      })
      .optional(),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(1).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    status: z.number().int().min(500).max(599).optional(),
    retryAfter: z.union([z.number().int().min(0), z.literal('http-date'), z.literal('none')]).optional(),
  })
  .strict();

/** Validates a rule from options or the CLI; the error names each bad field. */
export function validateFaultRule(input: unknown): FaultRule {
  const result = faultRuleSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'rule'}: ${issue.message}`);
  throw new Error(`invalid fault rule ${JSON.stringify(input)}: ${problems.join('; ')}`);
}

/** What the server must do for one request: optional delay, then at most one failure. */
export interface FaultDecision {
  latencyMs: number;
  failure?: FaultRule;
}

export class FaultSet {
  private rules: Array<{ rule: FaultRule; remaining: number | undefined; pattern: PathPattern | undefined }> = [];

  constructor(initial: FaultRule[] = []) {
    for (const rule of initial) this.add(rule);
  }

  add(rule: FaultRule): void {
    const valid = validateFaultRule(rule);
    const pattern = valid.path === undefined ? undefined : compilePathPattern(valid.path);
    this.rules.push({ rule: valid, remaining: valid.count, pattern });
  }
  clear(): void {
    this.rules = [];
  }
  list(): FaultRule[] {
    return this.rules.map(({ rule, remaining }) => (remaining === undefined ? { ...rule } : { ...rule, count: remaining }));
  }

  /**
   * What to do with a call of the API (`path` relative to /crm/v2/tenant/{tenant}) or of the token
   * endpoint (`path` '/connect/token'). A rule without a path hits API calls only: the token
   * endpoint is faulted by a rule whose path matches '/connect/token'. Consumes matching rules.
   */
  decide(method: string, path: string, endpoint: 'api' | 'token'): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const entry of [...this.rules]) {
      const { rule } = entry;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (entry.pattern ? !matchPath(entry.pattern, path) : endpoint === 'token') continue;
      if (rule.kind !== 'latency' && decision.failure) continue;
      if (Math.random() >= (rule.rate ?? 1)) continue;
      if (entry.remaining !== undefined) {
        entry.remaining -= 1;
        if (entry.remaining <= 0) this.rules = this.rules.filter((other) => other !== entry);
      }
      if (rule.kind === 'latency') decision.latencyMs += rule.latencyMs ?? 1000;
      else decision.failure = rule;
    }
    return decision;
  }
}

/** Parses the CLI form `kind=rateLimit,path=/customers,rate=0.2,retryAfter=http-date`. */
export function parseFaultFlag(text: string): FaultRule {
  const obj: Record<string, string | number> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`fault option '${part}' must look like key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const numeric = ['rate', 'count', 'latencyMs', 'status'].includes(key) || (key === 'retryAfter' && /^\d+$/.test(value));
    obj[key] = numeric ? Number(value) : value;
  }
  return validateFaultRule(obj);
}
