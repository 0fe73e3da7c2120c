/**
 * `stcrm.env.json`: variables per profile for suites (and request files), at the root of a
 * workspace or the folder the CLI runs in:
 *
 *   { "$shared": { "customerId": 10000000 }, "Integration": { "customerId": 42 } }
 *
 * Never secrets: the tenant, token, client and app key come from the profile (or the CLI's ST_*
 * variables), so a name that looks like a credential, or a value that does, is refused. Read with
 * the suite files' strict JSON reader. Plain Node.
 */
import type { PathSegment } from '../api/fieldPath';
import { redact } from '../api/redact';
import { parseStrictJson } from '../requests/requestFile';
import { SuiteSource } from './source';
import { strictJsonProblems, type SuiteProblem } from './suiteFile';
import { looksLikeCredential, NAME_PATTERN, RESERVED_NAMES } from './templates';

export const ENVIRONMENT_FILE = 'stcrm.env.json';
/** The section every profile gets, under its own. */
export const SHARED = '$shared';
const MAX_LENGTH = 250_000;

export interface EnvironmentFile {
  file: string;
  /** Profile name → its variables; `$shared` among them. Maps, so no name meets a prototype member. */
  sections: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
}

export type ParsedEnvironment = { ok: true; environment: EnvironmentFile } | { ok: false; problems: SuiteProblem[] };

export function parseEnvironmentFile(text: string, file: string): ParsedEnvironment {
  const source = new SuiteSource(file, text);
  const json = parseStrictJson(text, {
    noun: 'environment file',
    maxLength: MAX_LENGTH,
    usualLength: 'variables need a few hundred',
    usualDepth: 'variables need a few',
    empty: `${ENVIRONMENT_FILE} is empty. Start with {"${SHARED}": {"name": "value"}, "<profile name>": {…}}.`,
    reservedKeyRole: (path) => (path.length === 1 ? 'a profile name' : path.length === 2 ? 'a variable name' : undefined),
  });
  if (!json.ok) return { ok: false, problems: strictJsonProblems(json.errors, source) };
  const problems: SuiteProblem[] = [];
  const add = (path: PathSegment[], message: string, key = false): void => {
    problems.push({ message, path, location: source.locate(path, { key }) });
  };
  const doc = json.value;
  if (!isRecord(doc)) {
    add([], `${ENVIRONMENT_FILE} is a JSON object of profile names, each an object of variables: {"${SHARED}": {…}, "Integration": {…}}.`);
    return { ok: false, problems };
  }
  const sections = new Map<string, Map<string, unknown>>();
  for (const [profile, variables] of Object.entries(doc)) {
    if (!isRecord(variables)) {
      add([profile], `The variables of ${JSON.stringify(profile)} must be an object, like {"customerId": 42}.`);
      continue;
    }
    const values = new Map<string, unknown>();
    for (const [name, value] of Object.entries(variables)) {
      if (!NAME_PATTERN.test(name) || RESERVED_NAMES.has(name)) {
        add([profile, name], `${JSON.stringify(name)} cannot be a variable name: names start with a letter or _ and hold letters, digits, _ and -.`, true);
      } else if (looksLikeCredential(name)) {
        add(
          [profile, name],
          `${JSON.stringify(name)} looks like a credential. ${ENVIRONMENT_FILE} holds no secrets: the tenant, client, token and app key come from the profile.`,
          true,
        );
      } else if (holdsCredential(value)) {
        add([profile, name], `This value looks like a credential (a token or key). ${ENVIRONMENT_FILE} holds no secrets: they come from the profile.`);
      } else {
        values.set(name, value);
      }
    }
    sections.set(profile, values);
  }
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, 50) } : { ok: true, environment: { file, sections } };
}

/**
 * The variables a profile sees: `$shared`, then its own section over it. `profile` undefined gives
 * `$shared` only; a profile the file does not name is an error that lists the ones it does.
 */
export function environmentFor(
  environment: EnvironmentFile | undefined,
  profile: string | undefined,
): { ok: true; values: ReadonlyMap<string, unknown> } | { ok: false; message: string } {
  const values = new Map<string, unknown>(environment?.sections.get(SHARED) ?? []);
  if (profile === undefined) return { ok: true, values };
  const own = environment?.sections.get(profile);
  if (!own) {
    const names = [...(environment?.sections.keys() ?? [])].filter((name) => name !== SHARED);
    const where = environment
      ? `${environment.file} has ${names.length > 0 ? names.map((name) => JSON.stringify(name)).join(', ') : `only "${SHARED}"`}`
      : `there is no ${ENVIRONMENT_FILE}`;
    return { ok: false, message: `No environment ${JSON.stringify(profile)}: ${where}.` };
  }
  for (const [name, value] of own) values.set(name, value);
  return { ok: true, values };
}

/** True when a string anywhere in `value` matches the credential patterns every log line is redacted with. */
function holdsCredential(value: unknown): boolean {
  if (typeof value === 'string') return redact(value) !== value;
  if (Array.isArray(value)) return value.some(holdsCredential);
  if (isRecord(value)) return Object.entries(value).some(([key, item]) => looksLikeCredential(key) || holdsCredential(item));
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
