// Request validation that reproduces how an ASP.NET Core controller reports bad input:
//  1. JSON conversion (System.Text.Json): the first failure only, keyed by JSON path ("$", "$.type",
//     "$.locations[0].address.zip"); unknown properties are rejected because every CRM v2 request
//     definition says "additionalProperties": false. Property names match case-insensitively and
//     numbers may come as strings (JsonSerializerDefaults.Web).
//  2. Data annotations: every failure, keyed by the C# property path ("Name", "Locations[0].Address.Street").
import { addError, badRequest, HttpError, type ErrorMap } from './errors';
import type { ContactType } from './types';

export type FieldSpec =
  | { kind: 'string'; required?: boolean; maxLength?: number; notBlank?: boolean }
  | { kind: 'int64'; required?: boolean }
  | { kind: 'int32'; required?: boolean }
  | { kind: 'double'; required?: boolean; decimal?: boolean }
  | { kind: 'dateTime'; required?: boolean }
  | { kind: 'bool'; required?: boolean }
  | { kind: 'guid'; required?: boolean }
  | { kind: 'enum'; typeName: string; values: readonly string[]; required?: boolean }
  | { kind: 'object'; schema: ObjectSchema; required?: boolean }
  | { kind: 'array'; items: FieldSpec; required?: boolean; minItems?: number }
  /** A JSON object used as a dictionary (`additionalProperties: {schema}`). */
  | { kind: 'map'; values: FieldSpec; required?: boolean }
  /** Any JSON value (`{}` in the document). */
  | { kind: 'unknown'; required?: boolean };

export interface ObjectSchema {
  typeName: string;
  fields: Record<string, FieldSpec>;
  /** Cross-field rules (e.g. value format depends on type); `key` builds the C# property path. */
  check?: (value: Record<string, unknown>, report: (prop: string, message: string) => void) => void;
}

export type JsonObject = Record<string, unknown>;

class ConversionError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const CLR_NAMES: Record<string, string> = {
  string: 'System.String',
  int64: 'System.Int64',
  int32: 'System.Int32',
  double: 'System.Double',
  bool: 'System.Boolean',
  guid: 'System.Guid',
  dateTime: 'System.DateTime',
  unknown: 'System.Text.Json.JsonElement',
};
/** ISO 8601 as System.Text.Json reads a DateTime: a date, optionally a time and an offset. */
export const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const GUID_RE =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|\([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\))$/i;
const INT64_RE = /^[+-]?\d+$/;
/** Decimal text only: Number() would also take hex, binary, octal and "Infinity", which System.Text.Json does not. */
const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite double from decimal text, or undefined (out of range for a double, or not a number). */
export function parseDouble(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL_RE.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

/** A date-time in body or query (DATE_TIME_RE, and a real date) as epoch milliseconds, or undefined. */
export function parseDateTime(text: string): number | undefined {
  if (!DATE_TIME_RE.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Parses a GUID in any .NET format (D, N, B, P) and returns the canonical lower-case D form. */
export function parseGuid(text: string): string | undefined {
  const trimmed = text.trim();
  if (!GUID_RE.test(trimmed)) return undefined;
  const hex = trimmed.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** int64 text -> number; only ids inside the JS safe range can exist in the sandbox. */
export function parseInt64(text: string): number | undefined {
  const trimmed = text.trim();
  if (!INT64_RE.test(trimmed)) return undefined;
  const big = BigInt(trimmed);
  if (big > 9223372036854775807n || big < -9223372036854775808n) return undefined;
  return Number(big);
}

function typeLabel(spec: FieldSpec): string {
  if (spec.kind === 'enum') return spec.typeName;
  if (spec.kind === 'object') return spec.schema.typeName;
  if (spec.kind === 'array') return `System.Collections.Generic.List\`1[${typeLabel(spec.items)}]`;
  if (spec.kind === 'map') return `System.Collections.Generic.Dictionary\`2[System.String,${typeLabel(spec.values)}]`;
  if (spec.kind === 'double' && spec.decimal) return 'System.Decimal';
  return CLR_NAMES[spec.kind] ?? spec.kind;
}

function fail(path: string, spec: FieldSpec): never {
  throw new ConversionError(path, `The JSON value could not be converted to ${typeLabel(spec)}. Path: ${path}.`);
}

function convert(value: unknown, spec: FieldSpec, path: string): unknown {
  if (value === null) {
    // Value types (bool, numbers, enums, guid) are non-nullable in C# when the spec requires them.
    if (spec.required && spec.kind !== 'string' && spec.kind !== 'object' && spec.kind !== 'array' && spec.kind !== 'map' && spec.kind !== 'unknown')
      fail(path, spec);
    return null;
  }
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') fail(path, spec);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') fail(path, spec);
      return value;
    case 'int64': {
      // Stored values must round-trip exactly, so only the JS safe range is accepted (as for numbers).
      if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) fail(path, spec);
        return value;
      }
      if (typeof value === 'string') {
        const parsed = parseInt64(value);
        if (parsed === undefined || !Number.isSafeInteger(parsed)) fail(path, spec);
        return parsed;
      }
      return fail(path, spec);
    }
    case 'int32': {
      const number = typeof value === 'number' ? value : typeof value === 'string' ? parseInt64(value) : undefined;
      if (number === undefined || !Number.isInteger(number) || number < -2147483648 || number > 2147483647) fail(path, spec);
      return number;
    }
    case 'dateTime': {
      const ms = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (ms === undefined) fail(path, spec);
      return new Date(ms).toISOString();
    }
    case 'unknown':
      return value;
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) fail(path, spec);
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value as JsonObject)) {
        // defineProperty: a '__proto__' key stays a plain key.
        Object.defineProperty(out, k, { value: convert(v, spec.values, `${path}.${k}`), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'double': {
      // JSON.parse turns 1e400 into Infinity, which JSON.stringify would send back as null;
      // Utf8JsonReader.TryGetDouble refuses it.
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) fail(path, spec);
        return value;
      }
      if (typeof value === 'string') return parseDouble(value) ?? fail(path, spec);
      return fail(path, spec);
    }
    case 'guid': {
      if (typeof value !== 'string') fail(path, spec);
      return parseGuid(value) ?? fail(path, spec);
    }
    case 'enum': {
      // JsonStringEnumConverter: names only, case-insensitive; integers rejected.
      if (typeof value !== 'string') fail(path, spec);
      const match = spec.values.find((name) => name.toLowerCase() === value.trim().toLowerCase());
      return match ?? fail(path, spec);
    }
    case 'array': {
      if (!Array.isArray(value)) fail(path, spec);
      return value.map((item, i) => convert(item, spec.items, `${path}[${i}]`));
    }
    case 'object':
      return convertObject(value, spec.schema, path);
  }
}

function convertObject(value: unknown, schema: ObjectSchema, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConversionError(path, `The JSON value could not be converted to ${schema.typeName}. Path: ${path}.`);
  }
  const out: JsonObject = {};
  const lookup = new Map(Object.keys(schema.fields).map((name) => [name.toLowerCase(), name]));
  for (const [rawKey, raw] of Object.entries(value)) {
    const key = lookup.get(rawKey.toLowerCase());
    const childPath = `${path}.${rawKey}`;
    if (key === undefined) {
      throw new ConversionError(childPath, `The JSON property '${rawKey}' could not be mapped to any .NET member contained in type '${schema.typeName}'.`);
    }
    out[key] = convert(raw, schema.fields[key] as FieldSpec, childPath);
  }
  return out;
}

function annotate(value: unknown, spec: FieldSpec, key: string, errors: ErrorMap): void {
  const display = key.replace(/^.*[.\]]/, '').replace(/\[\d+\]$/, '') || key;
  const missing = value === null || value === undefined || (spec.kind === 'string' && typeof value === 'string' && value.trim() === '');
  if (missing) {
    if (spec.required) addError(errors, key, `The ${display} field is required.`);
    else if (spec.kind === 'string' && spec.notBlank && typeof value === 'string') addError(errors, key, `The ${display} field must not be empty.`);
    return;
  }
  if (spec.kind === 'string' && spec.maxLength !== undefined && typeof value === 'string' && value.length > spec.maxLength) {
    addError(errors, key, `The field ${display} must be a string with a maximum length of ${spec.maxLength}.`);
  }
  if (spec.kind === 'array' && Array.isArray(value)) {
    if (spec.minItems !== undefined && value.length < spec.minItems) {
      addError(errors, key, `The field ${display} must be a string or array type with a minimum length of '${spec.minItems}'.`);
    }
    value.forEach((item, i) => annotate(item, spec.items, `${key}[${i}]`, errors));
  }
  if (spec.kind === 'object') annotateObject(value as JsonObject, spec.schema, key, errors);
}

function annotateObject(value: JsonObject, schema: ObjectSchema, prefix: string, errors: ErrorMap): void {
  const keyOf = (prop: string): string => (prefix ? `${prefix}.${pascal(prop)}` : pascal(prop));
  for (const [name, spec] of Object.entries(schema.fields)) annotate(value[name], spec, keyOf(name), errors);
  schema.check?.(value, (prop, message) => addError(errors, keyOf(prop), message));
}

const JSON_MEDIA = /^(application\/json|text\/json|application\/[a-z0-9.+-]*\+json)\s*(;|$)/i;

export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_MEDIA.test(contentType.trim());
}

export interface BodySource {
  body: string;
  headers: { 'content-type'?: string | undefined };
}

/**
 * Parses and validates a JSON request body against a schema. `pathErrors` (from route parameters)
 * are reported together with body errors, as ASP.NET Core model binding does.
 */
export function parseBody(req: BodySource, schema: ObjectSchema, pathErrors: ErrorMap = {}): JsonObject {
  // No JSON input formatter for the content type: ASP.NET Core answers 415 before validating anything.
  if (!isJsonContentType(req.headers['content-type'])) throw new HttpError(415, 'Unsupported Media Type');
  const raw = req.body;
  const errors: ErrorMap = { ...pathErrors };
  if (raw.trim() === '') {
    addError(errors, '', 'A non-empty request body is required.');
    throw badRequest(errors);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    addError(errors, '$', `The request body is not valid JSON: ${(e as Error).message}. Path: $.`);
    throw badRequest(errors);
  }
  let converted: JsonObject;
  try {
    converted = convertObject(parsed, schema, '$');
  } catch (e) {
    if (e instanceof ConversionError) {
      addError(errors, e.path, e.message);
      throw badRequest(errors);
    }
    throw e;
  }
  annotateObject(converted, schema, '', errors);
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  return converted;
}

// ---- value rules shared by customer contacts, location contacts and contact methods ---------
// The overlay's contactValue rule, implemented here independently of src/api/schemas/rules.ts (the
// two sides check each other); test/node/sandbox/validation.test.ts checks they accept the same values.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_CHARS_RE = /^[0-9+\-().\s]+$/;

export function contactValueError(type: ContactType, value: string): string | undefined {
  const trimmed = value.trim();
  if (type === 'Email') return EMAIL_RE.test(trimmed) ? undefined : 'The Value field is not a valid e-mail address.';
  const digits = trimmed.replace(/\D/g, '').length;
  if (!PHONE_CHARS_RE.test(trimmed) || digits < 10 || digits > 15) return 'The Value field is not a valid phone number.';
  return undefined;
}

/** check() for objects with { type, value }: value must suit the type. */
export function checkTypedValue(obj: JsonObject, report: (prop: string, message: string) => void, fallbackType?: ContactType): void {
  const type = (obj.type as ContactType | null | undefined) ?? fallbackType;
  const value = obj.value;
  if (type && typeof value === 'string' && value.trim() !== '') {
    const msg = contactValueError(type, value);
    if (msg) report('value', msg);
  }
}
