// `npm run sandbox`: runs the CRM sandbox in the foreground until SIGINT/SIGTERM.
import { parseFaultFlag } from './faults';
import { MAX_RATE_LIMIT_PER_SECOND } from './rateLimit';
import { startSandbox } from './server';
import type { FaultRule, SandboxOptions } from './types';

const HELP = `Usage: npm run sandbox -- [options]

Local ServiceTitan CRM v2 sandbox (binds 127.0.0.1 only).

  --port N               port (default 0 = any free port)
  --tenant ID            tenant id, an int64 number (default 1000)
  --client-id ID         OAuth client id (default sandbox-client)
  --client-secret S      OAuth client secret (default sandbox-secret)
  --app-key KEY          ST-App-Key value (default sandbox-app-key)
  --readonly-client-id ID, --readonly-client-secret S
                         read-only client (only :r scopes)
  --customers N          seeded customers (default 100, max 1000000)
  --seed N               data seed, 0..2147483647 (default 1)
  --data FILE            load/persist data in FILE and FILE.journal beside it (created
                         if missing; an invalid file is refused and left as it is);
                         FILE.lock keeps other sandboxes off FILE while this one runs
  --token-lifetime SEC   access token lifetime (default 900)
  --rate-limit N         enforce ServiceTitan's limit: at most N calls per app key and tenant
                         in any rolling second (1..10000, e.g. 60); the rest get 429 with
                         Retry-After and are not processed (default: off)
  --fault RULE           fault rule, repeatable: kind=latency|error5xx|rateLimit|reset|truncate
                         plus method=,path=,rate=,count=,latencyMs=,status=,retryAfter=(N|http-date|none)
                         e.g. --fault 'kind=rateLimit,path=/customers,rate=0.2'
                         path is a prefix or a pattern of literals, \\d, \\w, ., [...],
                         + * ?, ^ and a trailing $ (no groups), e.g. path=^/customers/\\d+$
  --latency MS           add MS of latency to every request
  --error-rate P         answer 503 with probability P
  --429-rate P           answer 429 (Retry-After: 1) with probability P
  --reset-rate P         reset the connection with probability P
  --truncate-rate P      truncate the response body with probability P
  --quiet                do not log requests
  --help                 show this help
`;

/** `--rate-limit N`: calls per second. It once took a probability, which is `--429-rate P` now. */
function rateLimit(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= MAX_RATE_LIMIT_PER_SECOND) return n;
  const hint = Number.isFinite(n) && n > 0 && n < 1 ? ` (for random 429s with probability ${v} use --429-rate ${v})` : '';
  throw new Error(`${flag} needs a whole number of calls per second from 1 to ${MAX_RATE_LIMIT_PER_SECOND}, got '${v}'${hint}`);
}

function parseArgs(argv: string[]): SandboxOptions & { quiet: boolean } {
  const opts: SandboxOptions & { quiet: boolean } = { quiet: false };
  const faults: FaultRule[] = [];
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      if (raw.startsWith('--') && eq > 0) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help': case '-h': process.stdout.write(HELP); process.exit(0); break;
      case '--port': opts.port = num(flag, value()); break;
      case '--tenant': opts.tenant = value(); break;
      case '--client-id': opts.clientId = value(); break;
      case '--client-secret': opts.clientSecret = value(); break;
      case '--app-key': opts.appKey = value(); break;
      case '--readonly-client-id': opts.readOnlyClientId = value(); break;
      case '--readonly-client-secret': opts.readOnlyClientSecret = value(); break;
      case '--customers': opts.customers = num(flag, value()); break;
      case '--seed': opts.seed = num(flag, value()); break;
      case '--data': opts.dataFile = value(); break;
      case '--token-lifetime': opts.tokenLifetimeSeconds = num(flag, value()); break;
      case '--fault': faults.push(parseFaultFlag(value())); break;
      case '--latency': faults.push({ kind: 'latency', latencyMs: num(flag, value()) }); break;
      case '--error-rate': faults.push({ kind: 'error5xx', rate: num(flag, value()) }); break;
      case '--rate-limit': opts.rateLimitPerSecond = rateLimit(flag, value()); break;
      case '--429-rate': faults.push({ kind: 'rateLimit', rate: num(flag, value()) }); break;
      case '--reset-rate': faults.push({ kind: 'reset', rate: num(flag, value()) }); break;
      case '--truncate-rate': faults.push({ kind: 'truncate', rate: num(flag, value()) }); break;
      case '--quiet': opts.quiet = true; break;
      default: throw new Error(`unknown option ${raw} (see --help)`);
    }
  }
  if (faults.length > 0) opts.faults = faults;
  return opts;
}

async function main(): Promise<void> {
  let opts: SandboxOptions & { quiet: boolean };
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const { quiet, ...options } = opts;
  if (!quiet) options.log = (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const sb = await startSandbox(options);
  const c = sb.credentials;
  process.stdout.write(`CRM sandbox listening on ${sb.url}\n`
    + `  tenant:               ${sb.tenant}\n`
    + `  token URL:            ${sb.url}/connect/token\n`
    + `  API base URL:         ${sb.url}/crm/v2/tenant/${sb.tenant}\n`
    + `  client id / secret:   ${c.clientId} / ${c.clientSecret}\n`
    + `  app key (ST-App-Key): ${c.appKey}\n`
    + `  read-only client:     ${c.readOnlyClientId} / ${c.readOnlyClientSecret}\n`
    + (options.dataFile ? `  data file:            ${options.dataFile}\n` : '')
    + (options.rateLimitPerSecond ? `  rate limit:           ${options.rateLimitPerSecond} calls/s per app key and tenant (429 beyond)\n` : ''));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping CRM sandbox\n`);
    sb.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`CRM sandbox failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
