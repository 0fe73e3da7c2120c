// The flags of `npm run sandbox` (cli.ts). One table drives both the parsing and `--help`, and
// sandbox/README.md lists the same flags (test/node/sandbox/readme.test.ts compares them).
import { parseFaultFlag } from './faults';
import { MAX_RATE_LIMIT_PER_SECOND } from './rateLimit';
import type { FaultRule, SandboxOptions } from './types';

/** What the command line asks for. */
export interface CliSettings {
  options: SandboxOptions;
  faults: FaultRule[];
  /** --quiet: no request log. */
  quiet: boolean;
  /** --help: print HELP and exit. */
  help: boolean;
}

export interface CliOption {
  flag: string;
  /** Another spelling of the flag (`-h`). */
  alias?: string;
  /** What `--help` calls the value ('N', 'FILE'); undefined for a flag that takes none. */
  value?: string;
  /** The `--help` text, one entry per line. */
  help: string[];
  /** Applies the flag; throws an Error that says what is wrong with the value. */
  apply: (settings: CliSettings, value: string, flag: string) => void;
}

/** A value that must be a number. */
function numberOf(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new Error(`${flag} needs a number`);
  return number;
}

/**
 * `--rate-limit N`: calls per second, 0 for off (as the rateLimitPerSecond option takes it). It
 * once took a probability, which is `--429-rate P` now.
 */
function rateLimitOf(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() !== '' && Number.isInteger(number) && number >= 0 && number <= MAX_RATE_LIMIT_PER_SECOND) return number;
  const hint = Number.isFinite(number) && number > 0 && number < 1 ? ` (for random 429s with probability ${value} use --429-rate ${value})` : '';
  throw new Error(`${flag} needs a whole number of calls per second from 1 to ${MAX_RATE_LIMIT_PER_SECOND}, or 0 for no limit, got '${value}'${hint}`);
}

export const CLI_OPTIONS: readonly CliOption[] = [
  {
    flag: '--port',
    value: 'N',
    help: ['port (default 0 = any free port)'],
    apply: (settings, value, flag) => {
      settings.options.port = numberOf(flag, value);
    },
  },
  {
    flag: '--tenant',
    value: 'ID',
    help: ['tenant id, an int64 number (default 1000)'],
    apply: (settings, value) => {
      settings.options.tenant = value;
    },
  },
  {
    flag: '--client-id',
    value: 'ID',
    help: ['OAuth client id (default sandbox-client), granted every scope'],
    apply: (settings, value) => {
      settings.options.clientId = value;
    },
  },
  {
    flag: '--client-secret',
    value: 'S',
    help: ['OAuth client secret (default sandbox-secret)'],
    apply: (settings, value) => {
      settings.options.clientSecret = value;
    },
  },
  {
    flag: '--app-key',
    value: 'KEY',
    help: ['ST-App-Key value (default sandbox-app-key)'],
    apply: (settings, value) => {
      settings.options.appKey = value;
    },
  },
  {
    flag: '--readonly-client-id',
    value: 'ID',
    help: ['read-only client id, granted only the :r scopes (default sandbox-readonly-client)'],
    apply: (settings, value) => {
      settings.options.readOnlyClientId = value;
    },
  },
  {
    flag: '--readonly-client-secret',
    value: 'S',
    help: ['read-only client secret (default sandbox-readonly-secret)'],
    apply: (settings, value) => {
      settings.options.readOnlyClientSecret = value;
    },
  },
  {
    flag: '--customers',
    value: 'N',
    help: ['seeded customers (default 100, max 1000000; a --data file keeps its own)'],
    apply: (settings, value, flag) => {
      settings.options.customers = numberOf(flag, value);
    },
  },
  {
    flag: '--seed',
    value: 'N',
    help: ['data seed, 0..2147483647 (default 1; a --data file keeps its own)'],
    apply: (settings, value, flag) => {
      settings.options.seed = numberOf(flag, value);
    },
  },
  {
    flag: '--data',
    value: 'FILE',
    help: [
      'load/persist data in FILE and FILE.journal beside it (created',
      'if missing; an invalid file is refused and left as it is);',
      'FILE.lock keeps other sandboxes off FILE while this one runs',
    ],
    apply: (settings, value) => {
      settings.options.dataFile = value;
    },
  },
  {
    flag: '--token-lifetime',
    value: 'SEC',
    help: ['access token lifetime (default 900)'],
    apply: (settings, value, flag) => {
      settings.options.tokenLifetimeSeconds = numberOf(flag, value);
    },
  },
  {
    flag: '--rate-limit',
    value: 'N',
    help: [
      "enforce ServiceTitan's limit: at most N calls per app key and tenant",
      'in any rolling second (1..10000, e.g. 60); the rest get 429 with',
      'Retry-After and are not processed (default: 0, off)',
    ],
    apply: (settings, value, flag) => {
      settings.options.rateLimitPerSecond = rateLimitOf(flag, value);
    },
  },
  {
    flag: '--fault',
    value: 'RULE',
    help: [
      'fault rule, repeatable: kind=latency|error5xx|rateLimit|reset|truncate',
      'plus method=,path=,rate=,count=,latencyMs=,status=,retryAfter=(N|http-date|none)',
      "e.g. --fault 'kind=rateLimit,path=/customers,rate=0.2'",
      'path is a prefix or a pattern of literals, \\d, \\w, ., [...],',
      '+ * ?, ^ and a trailing $ (no groups), e.g. path=^/customers/\\d+$;',
      'a rule without path= hits API calls only, path=/connect/token the token endpoint',
    ],
    apply: (settings, value) => {
      settings.faults.push(parseFaultFlag(value));
    },
  },
  {
    flag: '--latency',
    value: 'MS',
    help: ['add MS of latency to every API call'],
    apply: (settings, value, flag) => {
      settings.faults.push({ kind: 'latency', latencyMs: numberOf(flag, value) });
    },
  },
  {
    flag: '--error-rate',
    value: 'P',
    help: ['answer API calls 503 with probability P'],
    apply: (settings, value, flag) => {
      settings.faults.push({ kind: 'error5xx', rate: numberOf(flag, value) });
    },
  },
  {
    flag: '--429-rate',
    value: 'P',
    help: ['answer API calls 429 (Retry-After: 1) with probability P'],
    apply: (settings, value, flag) => {
      settings.faults.push({ kind: 'rateLimit', rate: numberOf(flag, value) });
    },
  },
  {
    flag: '--reset-rate',
    value: 'P',
    help: ['reset the connection of API calls with probability P'],
    apply: (settings, value, flag) => {
      settings.faults.push({ kind: 'reset', rate: numberOf(flag, value) });
    },
  },
  {
    flag: '--truncate-rate',
    value: 'P',
    help: ['truncate the response body of API calls with probability P'],
    apply: (settings, value, flag) => {
      settings.faults.push({ kind: 'truncate', rate: numberOf(flag, value) });
    },
  },
  {
    flag: '--no-live-nulls',
    help: [
      'answer as the document says where the live API sends null (externalData,',
      "an e-mail contact's phoneSettings, optional fields without a value);",
      'by default the sandbox sends these nulls, as the live API does',
    ],
    apply: (settings) => {
      settings.options.liveNulls = false;
    },
  },
  {
    flag: '--quiet',
    help: ['do not log requests'],
    apply: (settings) => {
      settings.quiet = true;
    },
  },
  {
    flag: '--help',
    alias: '-h',
    help: ['show this help'],
    apply: (settings) => {
      settings.help = true;
    },
  },
];

/** Where the --help text of a flag starts. */
const HELP_COLUMN = 25;

function helpLines(option: CliOption): string[] {
  const name = option.value === undefined ? option.flag : `${option.flag} ${option.value}`;
  const indent = ' '.repeat(HELP_COLUMN);
  const [first = '', ...rest] = option.help;
  const head = `  ${name}`;
  // A name too long for the column gets its text on the next line.
  const lines = head.length < HELP_COLUMN - 1 ? [head.padEnd(HELP_COLUMN) + first] : [head, indent + first];
  return [...lines, ...rest.map((line) => indent + line)];
}

/** The --help text, its usage line naming how the sandbox was started (`npm run sandbox --`, `stcrm sandbox`). */
export function sandboxHelp(command: string): string {
  return [
    `Usage: ${command} [options]`,
    '',
    'Local ServiceTitan CRM v2 sandbox (binds 127.0.0.1 only). Reference: sandbox/README.md',
    '',
    ...CLI_OPTIONS.flatMap(helpLines),
    '',
  ].join('\n');
}

/** What `npm run sandbox -- --help` prints (sandbox/README.md shows it). */
export const HELP = sandboxHelp('npm run sandbox --');

/** Parses the arguments (`--flag value` or `--flag=value`); throws an Error that names the bad flag. */
export function parseCliArgs(argv: readonly string[]): CliSettings {
  const settings: CliSettings = { options: {}, faults: [], quiet: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const option = CLI_OPTIONS.find((candidate) => candidate.flag === flag || candidate.alias === flag);
    if (!option) throw new Error(`unknown option ${arg}`);
    let value = '';
    if (equals > 0) {
      value = arg.slice(equals + 1);
    } else if (option.value !== undefined) {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      value = next;
      i++;
    }
    option.apply(settings, value, flag);
    // Like any --help: what follows it is not looked at.
    if (settings.help) break;
  }
  if (settings.faults.length > 0) settings.options.faults = settings.faults;
  return settings;
}
