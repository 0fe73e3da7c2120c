// A small draft-07 validator for the request-file JSON Schema (the repository has no ajv): exactly
// the keywords the generator emits. A keyword it does not know fails loudly (`unknownKeywords`),
// so the schema cannot grow a check these tests silently skip. VS Code's own keywords
// (enumDescriptions, errorMessage, doNotSuggest, …) are annotations here.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = boolean | { [key: string]: Json };
export interface SchemaProblem {
  path: (string | number)[];
  message: string;
}

const ROOT = path.resolve(__dirname, '../../../..');
export const REQUEST_SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/stcrm-request.schema.json'), 'utf8')) as { [key: string]: Json };

const ANNOTATIONS = new Set([
  '$schema',
  '$comment',
  'title',
  'description',
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'errorMessage',
  'patternErrorMessage',
  'format',
  'defaultSnippets',
  'doNotSuggest',
  'definitions',
]);
const ASSERTIONS = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'minLength',
  'pattern',
  '$ref',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
]);

/** Keywords anywhere in `schema` that this validator does not know (names under properties/definitions are not keywords). */
export function unknownKeywords(schema: Json, at = '#'): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (!ANNOTATIONS.has(key) && !ASSERTIONS.has(key)) out.push(`${at}/${key}`);
    if (key === 'properties' || key === 'definitions') {
      for (const [name, sub] of Object.entries(value as { [key: string]: Json })) out.push(...unknownKeywords(sub, `${at}/${key}/${name}`));
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      (value as Json[]).forEach((sub, i) => out.push(...unknownKeywords(sub, `${at}/${key}/${i}`)));
    } else if (['items', 'additionalProperties', 'not', 'if', 'then', 'else'].includes(key)) {
      out.push(...unknownKeywords(value, `${at}/${key}`));
    }
  }
  return out;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return typeOf(value) === 'object';
    default:
      return typeOf(value) === type;
  }
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/definitions/')) throw new Error(`unsupported $ref ${ref}`);
  const defs = (root as { definitions?: { [key: string]: Json } }).definitions ?? {};
  const target = defs[ref.slice('#/definitions/'.length)];
  if (target === undefined) throw new Error(`dangling $ref ${ref}`);
  return target as Schema;
}

/** Every problem `value` has against `schema` (empty: valid). */
export function validate(value: unknown, schema: Schema = REQUEST_SCHEMA, root: Schema = schema): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  check(value, schema, root, [], out);
  return out;
}

function check(value: unknown, schema: Schema, root: Schema, at: (string | number)[], out: SchemaProblem[]): void {
  if (schema === true) return;
  if (schema === false) {
    out.push({ path: at, message: 'not allowed' });
    return;
  }
  const fail = (message: string): void => {
    out.push({ path: at, message });
  };
  for (const key of Object.keys(schema)) if (!ANNOTATIONS.has(key) && !ASSERTIONS.has(key)) throw new Error(`unknown keyword ${key}`);
  const s = schema as Record<string, Json | undefined>;
  if (typeof s.$ref === 'string') check(value, resolve(root, s.$ref), root, at, out);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(value, t))) fail(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value))) fail(`not one of ${JSON.stringify(s.enum)}`);
  if (s.const !== undefined && !equal(s.const, value)) fail(`not ${JSON.stringify(s.const)}`);
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) fail(`below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) fail(`above ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) fail(`not above ${s.exclusiveMinimum}`);
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && [...value].length < s.minLength) fail(`shorter than ${s.minLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) fail(`does not match ${s.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) fail(`fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) fail(`more than ${s.maxItems} items`);
    if (s.items !== undefined) value.forEach((item, i) => check(item, s.items as Schema, root, [...at, i], out));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const name of (s.required ?? []) as string[]) if (!Object.prototype.hasOwnProperty.call(object, name)) fail(`missing ${name}`);
    for (const [name, item] of Object.entries(object)) {
      const own = Object.prototype.hasOwnProperty.call(properties, name) ? properties[name] : undefined;
      if (own !== undefined) check(item, own, root, [...at, name], out);
      else if (s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) out.push({ path: [...at, name], message: 'unknown property' });
        else check(item, s.additionalProperties as Schema, root, [...at, name], out);
      }
    }
  }
  const passes = (sub: Json): boolean => validate(value, sub as Schema, root).length === 0;
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) check(value, sub as Schema, root, at, out);
  if (Array.isArray(s.anyOf) && !s.anyOf.some(passes)) fail('matches none of anyOf');
  if (Array.isArray(s.oneOf) && s.oneOf.filter(passes).length !== 1) fail(`matches ${s.oneOf.filter(passes).length} of oneOf`);
  if (s.not !== undefined && passes(s.not)) fail('matches a schema that is not allowed');
  if (s.if !== undefined) {
    const branch = passes(s.if) ? s.then : s.else;
    if (branch !== undefined) check(value, branch as Schema, root, at, out);
  }
}
