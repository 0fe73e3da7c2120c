/**
 * The `.vscode/mcp.json` entry that runs the bundled `stcrm mcp` server for a profile: `node
 * <extension>/dist/cli.js mcp`, the environment and tenant (or base URLs) in `env`, and the
 * client ID, secret and app key as `${input:…}` prompts declared with `password: true`, so no
 * secret is ever in the file. A sandbox profile runs `--sandbox` and needs no credentials.
 * Merged into the file's text with jsonc-parser: comments and every other entry stay. No vscode.
 */
import { applyEdits, modify, parse, printParseErrorCode, type FormattingOptions, type ParseError } from 'jsonc-parser';

/** What of a profile the entry needs (nothing secret). */
export interface McpProfile {
  name: string;
  environment: 'production' | 'integration' | 'sandbox' | 'custom';
  tenant: string;
  apiBaseUrl?: string;
  tokenUrl?: string;
  /** A Custom URL profile marked as production. */
  production?: boolean;
}

export interface McpInput {
  type: 'promptString';
  id: string;
  description: string;
  password: true;
}

export interface McpEntry {
  /** The key under `servers`. */
  name: string;
  server: { type: 'stdio'; command: 'node'; args: string[]; env?: Record<string, string> };
  inputs: McpInput[];
}

/** `servicetitan-crm-staging-copy`: the server's name for a profile (letters, digits and dashes). */
export function mcpServerName(profileName: string): string {
  const slug = profileName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `servicetitan-crm-${slug || 'profile'}`;
}

export function mcpEntry(profile: McpProfile, cliPath: string): McpEntry {
  const name = mcpServerName(profile.name);
  if (profile.environment === 'sandbox') return { name, server: { type: 'stdio', command: 'node', args: [cliPath, 'mcp', '--sandbox'] }, inputs: [] };
  const prompt = (key: string, what: string): McpInput => ({
    type: 'promptString',
    id: `${name}-${key}`,
    description: `ServiceTitan ${what} of the profile "${profile.name}" (tenant ${profile.tenant})`,
    password: true,
  });
  const inputs = [prompt('client-id', 'client ID'), prompt('client-secret', 'client secret'), prompt('app-key', 'app key')];
  const where: Record<string, string> =
    profile.environment === 'custom'
      ? { ST_API_BASE_URL: profile.apiBaseUrl ?? '', ST_TOKEN_URL: profile.tokenUrl ?? '', ...(profile.production ? { ST_ENVIRONMENT: 'production' } : {}) }
      : { ST_ENVIRONMENT: profile.environment };
  const env = {
    ...where,
    ST_TENANT: profile.tenant,
    ST_CLIENT_ID: `\${input:${inputs[0]?.id ?? ''}}`,
    ST_CLIENT_SECRET: `\${input:${inputs[1]?.id ?? ''}}`,
    ST_APP_KEY: `\${input:${inputs[2]?.id ?? ''}}`,
  };
  return { name, server: { type: 'stdio', command: 'node', args: [cliPath, 'mcp'], env }, inputs };
}

const FORMATTING: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

/**
 * `text` (the file's, or undefined when there is none) with `servers.<name>` set to the entry
 * and its inputs set by id; everything else kept. Refuses a file that is not a JSON object with
 * an object `servers` and an array `inputs`, saying what to fix, rather than overwrite it.
 */
export function mergeMcpJson(text: string | undefined, entry: McpEntry): { ok: true; text: string } | { ok: false; message: string } {
  let result = text === undefined || text.trim() === '' ? '{}\n' : text;
  const errors: ParseError[] = [];
  const parsed: unknown = parse(result, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors[0]) {
    const line = result.slice(0, errors[0].offset).split('\n').length;
    return {
      ok: false,
      message: `.vscode/mcp.json is not valid JSON (${printParseErrorCode(errors[0].error)} on line ${line}): fix it, then run the command again.`,
    };
  }
  if (!isObject(parsed)) return { ok: false, message: '.vscode/mcp.json must hold a JSON object: fix it, then run the command again.' };
  const servers = own(parsed, 'servers');
  if (servers !== undefined && !isObject(servers))
    return { ok: false, message: '"servers" in .vscode/mcp.json must be an object: fix it, then run the command again.' };
  const inputs = own(parsed, 'inputs');
  if (inputs !== undefined && !Array.isArray(inputs))
    return { ok: false, message: '"inputs" in .vscode/mcp.json must be a list: fix it, then run the command again.' };

  const edit = (path: (string | number)[], value: unknown, insert = false): void => {
    result = applyEdits(result, modify(result, path, value, { formattingOptions: FORMATTING, isArrayInsertion: insert }));
  };
  edit(['servers', entry.name], entry.server);
  let count = Array.isArray(inputs) ? inputs.length : 0;
  if (entry.inputs.length > 0 && inputs === undefined) {
    edit(['inputs'], entry.inputs);
    return { ok: true, text: result };
  }
  for (const input of entry.inputs) {
    const index = Array.isArray(inputs) ? inputs.findIndex((existing) => isObject(existing) && own(existing, 'id') === input.id) : -1;
    if (index >= 0) edit(['inputs', index], input);
    else edit(['inputs', count++], input, true);
  }
  return { ok: true, text: result };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a `__proto__` or `constructor` key is read as data, never as the prototype. */
function own(value: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}
