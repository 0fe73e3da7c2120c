/**
 * `{{name}}` in suite values: variables, captures, environment values and the built-ins
 * `{{$uuid}}`, `{{$timestamp}}`, `{{$isoTimestamp}}`, `{{$randomInt min max}}`, `{{$env NAME}}`.
 * A string that is exactly one reference takes the value with its JSON type (a number stays a
 * number); inside longer text the value is written in. One pass, never recursive: a value put in
 * is not read for references again, so no value can expand itself, and every text is bounded.
 * Object keys are never templates. Plain Node.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { PathSegment } from '../api/fieldPath';

/** Longest text a template may produce: far beyond any CRM field, short of a memory problem. */
export const MAX_TEMPLATE_RESULT = 100_000;
/** Longest text between `{{` and `}}` that is read as a reference. */
const MAX_REFERENCE = 200;
/** A variable or capture name. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
/** Names JavaScript gives a meaning to: never a variable, whatever map holds it. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Names that look like a credential: an environment file or `{{$env}}` never holds or reads these
 * (credentials come from the profile, or the ST_* variables of the CLI, and are never templates).
 */
const CREDENTIAL_NAME = /secret|passw(or)?d|token|bearer|authori[sz]ation|credential|api[_-]?key|app[_-]?key|private[_-]?key|client[_-]?id|^st_/i;

export function looksLikeCredential(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

export type Reference =
  | { kind: 'variable'; name: string }
  | { kind: 'uuid' }
  | { kind: 'timestamp' }
  | { kind: 'isoTimestamp' }
  | { kind: 'randomInt'; min: number; max: number }
  | { kind: 'env'; name: string };

type Part = { text: string } | { reference: Reference; source: string };

/** A string split into text and references, or why a reference in it cannot be read. */
export type ParsedTemplate = { ok: true; parts: Part[] } | { ok: false; message: string };

/**
 * `{{$randomInt min max}}` draws with crypto.randomInt(min, max + 1), which needs safe integers
 * (so max + 1 is one) and a range below 2^48: these limits keep every accepted pair drawable.
 */
const RANDOM_INT_LOWEST = Number.MIN_SAFE_INTEGER;
const RANDOM_INT_HIGHEST = Number.MAX_SAFE_INTEGER - 1;
const RANDOM_INT_SPAN = 2 ** 48 - 2;

const BUILT_INS = '{{$uuid}}, {{$timestamp}}, {{$isoTimestamp}}, {{$randomInt min max}}, {{$env NAME}}';

/** Splits `text` at its `{{…}}` references. Linear in the text; a `{{` without `}}` is text. */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: Part[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf('{{', at);
    const close = open < 0 ? -1 : text.indexOf('}}', open + 2);
    if (open < 0 || close < 0) {
      if (at < text.length) parts.push({ text: text.slice(at) });
      return { ok: true, parts };
    }
    if (open > at) parts.push({ text: text.slice(at, open) });
    const source = text.slice(open, close + 2);
    const inner = text.slice(open + 2, close).trim();
    if (inner.length > MAX_REFERENCE) return { ok: false, message: `A {{…}} reference of ${inner.length} characters: a name has at most 100.` };
    const reference = readReference(inner);
    if (typeof reference === 'string') return { ok: false, message: reference };
    parts.push({ reference, source });
    at = close + 2;
  }
}

function readReference(inner: string): Reference | string {
  const words = inner.split(/\s+/);
  const [head = '', ...args] = words;
  if (!head.startsWith('$')) {
    if (args.length === 0 && NAME_PATTERN.test(head) && !RESERVED_NAMES.has(head)) return { kind: 'variable', name: head };
    return `{{${clip(inner)}}} is not a variable name: names start with a letter or _ and hold letters, digits, _ and - (or use a built-in: ${BUILT_INS}).`;
  }
  const none = (reference: Reference): Reference | string => (args.length === 0 ? reference : `{{${head}}} takes no arguments.`);
  switch (head) {
    case '$uuid':
      return none({ kind: 'uuid' });
    case '$timestamp':
      return none({ kind: 'timestamp' });
    case '$isoTimestamp':
      return none({ kind: 'isoTimestamp' });
    case '$randomInt': {
      if (args.length === 0) return { kind: 'randomInt', min: 0, max: 1000 };
      const [min, max] = args.map(Number);
      const whole = (n: number | undefined): n is number => n !== undefined && Number.isSafeInteger(n);
      if (args.length !== 2 || !whole(min) || !whole(max) || min > max) {
        return `{{${clip(inner)}}}: $randomInt takes two whole numbers, the smallest and the largest value, like {{$randomInt 1 100}}.`;
      }
      if (min < RANDOM_INT_LOWEST || max > RANDOM_INT_HIGHEST || max - min > RANDOM_INT_SPAN) {
        return `{{${clip(inner)}}}: $randomInt takes values from ${RANDOM_INT_LOWEST} to ${RANDOM_INT_HIGHEST}, the largest at most ${RANDOM_INT_SPAN} above the smallest.`;
      }
      return { kind: 'randomInt', min, max };
    }
    case '$env': {
      const [name] = args;
      if (args.length !== 1 || name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        return `{{${clip(inner)}}}: $env takes the name of one environment variable, like {{$env CI_BUILD_ID}}.`;
      if (looksLikeCredential(name))
        return `{{$env ${name}}} looks like a credential: a suite never reads credentials (they come from the profile, or ST_* for the CLI).`;
      return { kind: 'env', name };
    }
    default:
      return `{{${clip(head)}}} is not a built-in. The built-ins are ${BUILT_INS}.`;
  }
}

/** What references resolve against: variables and captures by name, the process environment, the clock and randomness. */
export interface Scope {
  /** The value of a variable or capture, or undefined when there is none by that name. */
  lookup(name: string): { value: unknown } | undefined;
  builtIns: BuiltIns;
}

/** The sources of the built-ins; tests replace them. */
export interface BuiltIns {
  env(name: string): string | undefined;
  now(): Date;
  uuid(): string;
  /** A whole number from min to max, both included. */
  randomInt(min: number, max: number): number;
}

export const defaultBuiltIns = (env: NodeJS.ProcessEnv = process.env): BuiltIns => ({
  env: (name) => (Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined),
  now: () => new Date(),
  uuid: () => randomUUID(),
  randomInt: (min, max) => (min === max ? min : randomInt(min, max + 1)),
});

/** A reference that could not be resolved, at its place among the values resolved. */
export interface TemplateProblem {
  /** Path within the value given to `resolveValue`. */
  path: PathSegment[];
  message: string;
  /** The variable that was missing, when that is the problem. */
  missing?: string;
}

export type Resolved = { ok: true; value: unknown } | { ok: false; problems: TemplateProblem[] };

/**
 * `value` with its string references resolved: a new value (the given one is not changed), keys
 * kept as they are. Every problem is reported (the first 20), with its path. `partial` resolves the
 * variables the scope has and keeps every other reference as written (a preview before a run).
 */
export function resolveValue(value: unknown, scope: Scope, options: { partial?: boolean } = {}): Resolved {
  const partial = options.partial === true;
  const problems: TemplateProblem[] = [];
  const path: PathSegment[] = [];
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return resolveString(node, scope, path, problems, partial);
    if (Array.isArray(node)) {
      return node.map((item: unknown, index) => {
        path.push(index);
        const out = walk(item);
        path.pop();
        return out;
      });
    }
    if (typeof node === 'object' && node !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        path.push(key);
        // Defined, not assigned: no key can reach the prototype.
        Object.defineProperty(out, key, { value: walk(item), enumerable: true, writable: true, configurable: true });
        path.pop();
      }
      return out;
    }
    return node;
  };
  const out = walk(value);
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, 20) } : { ok: true, value: out };
}

function resolveString(text: string, scope: Scope, path: readonly PathSegment[], problems: TemplateProblem[], partial: boolean): unknown {
  if (!text.includes('{{')) return text;
  const parsed = parseTemplate(text);
  if (!parsed.ok) {
    problems.push({ path: [...path], message: parsed.message });
    return text;
  }
  const valueOf = (reference: Reference, source: string): ReturnType<typeof referenceValue> => {
    if (!partial) return referenceValue(reference, scope);
    return reference.kind === 'variable' ? (scope.lookup(reference.name) ?? { value: source }) : { value: source };
  };
  const [only] = parsed.parts;
  if (parsed.parts.length === 1 && only && 'reference' in only) {
    const value = valueOf(only.reference, only.source);
    if ('problem' in value) {
      problems.push({ path: [...path], ...value.problem });
      return text;
    }
    return value.value;
  }
  let out = '';
  for (const part of parsed.parts) {
    if ('text' in part) {
      out += part.text;
    } else {
      const value = valueOf(part.reference, part.source);
      if ('problem' in value) {
        problems.push({ path: [...path], ...value.problem });
        return text;
      }
      out += asText(value.value);
    }
    if (out.length > MAX_TEMPLATE_RESULT) {
      problems.push({
        path: [...path],
        message: `This text grows past ${MAX_TEMPLATE_RESULT.toLocaleString('en-US')} characters with its variables written in.`,
      });
      return text;
    }
  }
  return out;
}

function referenceValue(reference: Reference, scope: Scope): { value: unknown } | { problem: { message: string; missing?: string } } {
  const { builtIns } = scope;
  switch (reference.kind) {
    case 'variable': {
      const found = scope.lookup(reference.name);
      if (found) return found;
      return {
        problem: {
          message: `Unknown variable {{${reference.name}}}: define it in "variables", capture it in an earlier step, or give it in stcrm.env.json.`,
          missing: reference.name,
        },
      };
    }
    case 'uuid':
      return { value: builtIns.uuid() };
    case 'timestamp':
      return { value: Math.floor(builtIns.now().getTime() / 1000) };
    case 'isoTimestamp':
      return { value: builtIns.now().toISOString() };
    case 'randomInt':
      return { value: builtIns.randomInt(reference.min, reference.max) };
    case 'env': {
      const value = builtIns.env(reference.name);
      if (value === undefined) return { problem: { message: `{{$env ${reference.name}}}: the environment variable ${reference.name} is not set.` } };
      return { value };
    }
  }
}

/** A value written into text: strings as they are, anything else as JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

/** Every variable name `value` refers to (built-ins left out), with where; malformed references are left to resolveValue. */
export function variableReferences(value: unknown): { name: string; path: PathSegment[] }[] {
  const found: { name: string; path: PathSegment[] }[] = [];
  forEachTemplate(value, (parsed, path) => {
    if (!parsed.ok) return;
    for (const part of parsed.parts) if ('reference' in part && part.reference.kind === 'variable') found.push({ name: part.reference.name, path: [...path] });
  });
  return found;
}

/** Problems of the references in `value` that need no values to find (syntax, unknown built-ins), with where. */
export function templateSyntaxProblems(value: unknown): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  forEachTemplate(value, (parsed, path) => {
    if (!parsed.ok) problems.push({ path: [...path], message: parsed.message });
  });
  return problems;
}

/** Calls `visit` for every string of `value` that holds `{{`, parsed, with its path (valid during the call only). */
function forEachTemplate(value: unknown, visit: (parsed: ParsedTemplate, path: readonly PathSegment[]) => void): void {
  const path: PathSegment[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      if (node.includes('{{')) visit(parseTemplate(node), path);
      return;
    }
    const entries: [PathSegment, unknown][] = Array.isArray(node)
      ? node.map((item: unknown, index) => [index, item])
      : typeof node === 'object' && node !== null
        ? Object.entries(node)
        : [];
    for (const [key, item] of entries) {
      path.push(key);
      walk(item);
      path.pop();
    }
  };
  walk(value);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
