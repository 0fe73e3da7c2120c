/**
 * `stcrm test [files, folders or globs] [--sandbox] [--env NAME] [--junit FILE] [--timeout SECONDS]
 * [--bail] [--allow-production-writes]`: runs suite files with the suite engine and prints each
 * step. A suite file that cannot be read or parsed is a suite in error (the others run). Exit
 * codes: 0 all passed, 1 a step failed or had an error or a suite file is broken, 2 a usage or
 * configuration problem (said with what to fix; nothing was sent), 3 every step passed but the
 * JUnit report could not be written, 130 cancelled with Ctrl-C (after the teardown).
 * Everything printed is redacted and has its control characters escaped (`printable`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redact } from '../api/redact';
import type { CrmTransport } from '../api/transport';
import {
  ENVIRONMENT_FILE,
  environmentFor,
  freshSandboxPerSuite,
  parseEnvironmentFile,
  parseSuite,
  runSuites,
  suiteWrites,
  type RunResults,
  type Suite,
  type SuiteConnections,
  type SuiteInput,
} from '../suites';
import { confirmationText } from '../writes/confirmation';
import { connectionFromEnv } from './credentials';
import { findSuiteFiles } from './files';
import { prepareJunitFile, writeJunit } from './junit';
import { printable, TextReport } from '../suites/report';

export const TEST_USAGE = `Usage: stcrm test [files, folders or globs] [options]

Runs ServiceTitan CRM test suites (*.stcrm-suite.json); without files, every suite below the
current folder (node_modules and dot folders left out).

  --sandbox                   run each suite against a fresh embedded CRM sandbox (its "sandbox"
                              seed, customers and fault rules); no credentials needed
  --env NAME                  variables of NAME (and "$shared") from ./${ENVIRONMENT_FILE}
  --junit FILE                also write the results as JUnit XML to FILE (its folder is made
                              if need be; checked before anything is sent)
  --timeout SECONDS           wait at most SECONDS for each answer (1 to 600; default 30)
  --bail                      stop at the first failed step (the teardown still runs)
  --allow-production-writes   let the suites write to a production tenant
  --help                      show this help

Credentials (unless --sandbox): ST_CLIENT_ID, ST_CLIENT_SECRET, ST_APP_KEY, ST_TENANT, and
ST_ENVIRONMENT (integration or production) or ST_API_BASE_URL (the root, like
http://127.0.0.1:4010, without /crm/v2/tenant/…) and ST_TOKEN_URL. Calls are held to 60 per
second. A suite file that cannot be parsed is reported as a suite in error; the others run.
Exit codes: 0 all passed, 1 a failure (a broken suite file included), 2 a usage or
configuration problem (nothing sent), 3 all passed but the JUnit report could not be written,
130 cancelled (Ctrl-C runs the teardown first).
`;

/** The longest wait for an answer --timeout takes, as the VS Code setting stcrm.requestTimeoutSeconds. */
const MAX_TIMEOUT_SECONDS = 600;

export interface TestArgs {
  patterns: string[];
  sandbox: boolean;
  env?: string;
  junit?: string;
  /** --timeout: seconds to wait for each answer. */
  timeoutSeconds?: number;
  bail: boolean;
  allowProductionWrites: boolean;
  help: boolean;
}

export function parseTestArgs(argv: readonly string[]): { ok: true; args: TestArgs } | { ok: false; message: string } {
  const args: TestArgs = { patterns: [], sandbox: false, bail: false, allowProductionWrites: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? '';
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    const noValue = (): string | undefined => (inline === undefined ? undefined : `${flag} takes no value.`);
    let problem: string | undefined;
    switch (flag) {
      case '--sandbox':
        args.sandbox = true;
        problem = noValue();
        break;
      case '--bail':
        args.bail = true;
        problem = noValue();
        break;
      case '--allow-production-writes':
        args.allowProductionWrites = true;
        problem = noValue();
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--env':
      case '--junit':
      case '--timeout': {
        const given = value();
        if (given === undefined || given === '' || (inline === undefined && given.startsWith('--')))
          problem = `${flag} needs a value: ${flag === '--env' ? '--env Integration' : flag === '--junit' ? '--junit results.xml' : '--timeout 60'}.`;
        else if (flag === '--env') args.env = given;
        else if (flag === '--junit') args.junit = given;
        else if (!/^\d{1,3}$/.test(given) || Number(given) < 1 || Number(given) > MAX_TIMEOUT_SECONDS)
          problem = `--timeout takes a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, like --timeout 60.`;
        else args.timeoutSeconds = Number(given);
        break;
      }
      default:
        if (raw.startsWith('-')) problem = `Unknown option ${raw}.`;
        else args.patterns.push(raw);
    }
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, args };
}

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on the first Ctrl-C: the steps stop, the teardown runs. */
  cancel: AbortSignal;
  /** Aborted on the second Ctrl-C: the teardown stops too. */
  cancelTeardown: AbortSignal;
}

/** Runs `stcrm test` and answers with the exit code. */
export async function runTestCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsedArgs = parseTestArgs(argv);
  if (!parsedArgs.ok) {
    io.stderr(`${printable(parsedArgs.message)}\n\n${TEST_USAGE}`);
    return 2;
  }
  const args = parsedArgs.args;
  if (args.help) {
    io.stdout(TEST_USAGE);
    return 0;
  }

  // Redaction: the credentials given, and every secret a transport learns (tokens).
  const transports: CrmTransport[] = [];
  const given = ['ST_CLIENT_ID', 'ST_CLIENT_SECRET', 'ST_APP_KEY'].map((name) => io.env[name]?.trim() ?? '').filter((value) => value !== '');
  const clean = (text: string): string => redact(text, [...given, ...transports.flatMap((transport) => transport.secrets())]);
  /** A message of ours (its line feeds meant) to stderr, redacted, with any other control character escaped. */
  const say = (message: string): void => io.stderr(`${printable(clean(message), true)}\n`);
  const fail = (message: string): number => {
    say(message);
    return 2;
  };

  const found = findSuiteFiles(args.patterns, io.cwd);
  if (!found.ok) return fail(found.message);
  if (args.junit !== undefined) {
    const ready = prepareJunitFile(path.resolve(io.cwd, args.junit), args.junit);
    if (!ready.ok) return fail(ready.message);
  }
  // A file that cannot be read or parsed is a suite in error in the run (and the JUnit report): the others run.
  const inputs: SuiteInput[] = found.files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (error) {
      const message = `The file cannot be read (${error instanceof Error ? error.message : String(error)}).`;
      return { file, parsed: { ok: false, problems: [{ message, path: [], location: { file, line: 1, column: 1, offset: 0, length: 0 } }] } };
    }
    return { file, parsed: parseSuite(text, file) };
  });
  const report = new TextReport(io.stdout, clean);
  const suites = inputs.flatMap((input) => (input.parsed.ok ? [input.parsed.suite] : []));

  const environmentPath = path.resolve(io.cwd, ENVIRONMENT_FILE);
  let environmentText: string | undefined;
  try {
    environmentText = fs.readFileSync(environmentPath, 'utf8');
  } catch {
    environmentText = undefined;
  }
  const parsedEnvironment = environmentText === undefined ? undefined : parseEnvironmentFile(environmentText, ENVIRONMENT_FILE);
  if (parsedEnvironment && !parsedEnvironment.ok) {
    new TextReport(io.stderr, clean).problems(parsedEnvironment.problems);
    return 2;
  }
  const environment = environmentFor(parsedEnvironment?.environment, args.env);
  if (!environment.ok) return fail(environment.message);

  const timeout = {
    ...(args.timeoutSeconds !== undefined ? { timeoutMs: args.timeoutSeconds * 1000 } : {}),
    timeoutHint: 'pass a longer --timeout SECONDS to stcrm test',
  };
  let connections: SuiteConnections;
  let shared: CrmTransport | undefined;
  if (args.sandbox) {
    connections = freshSandboxPerSuite({ onTransport: (transport) => transports.push(transport), ...timeout });
  } else {
    const connection = connectionFromEnv(io.env, timeout);
    if (!connection.ok) return fail(connection.message);
    shared = connection.value.transport;
    transports.push(shared);
    connections = { kind: 'shared', connection: connection.value.connection };
    const refusal = productionRefusal(suites, connection.value.connection, environment.values, args.allowProductionWrites);
    if (refusal !== undefined) {
      await shared.close();
      return fail(refusal);
    }
  }

  let results: RunResults;
  try {
    results = await runSuites(inputs, connections, {
      environment: environment.values,
      signal: io.cancel,
      teardownSignal: io.cancelTeardown,
      bail: args.bail,
      productionConfirmed: args.allowProductionWrites,
      // Never interactive: production writes need --allow-production-writes, checked above.
      confirm: () => Promise.resolve(false),
      onEvent: (event) => report.onEvent(event),
    });
  } finally {
    await shared?.close();
  }
  report.summary(results);
  const code = results.cancelled ? 130 : results.failed > 0 || results.errored > 0 || results.suites.some((suite) => suite.problems.length > 0) ? 1 : 0;
  if (args.junit !== undefined) {
    try {
      writeJunit(path.resolve(io.cwd, args.junit), results, clean);
    } catch (error) {
      // Calls were sent: the run's own outcome stands; a run that passed says the report is missing with 3.
      say(`The JUnit report could not be written to ${args.junit}: ${error instanceof Error ? error.message : String(error)}`);
      return code === 0 ? 3 : code;
    }
  }
  return code;
}

/** Why the run must not start: writes to production without --allow-production-writes, listed. */
function productionRefusal(
  suites: readonly Suite[],
  connection: Parameters<typeof suiteWrites>[1],
  environment: ReadonlyMap<string, unknown>,
  allowed: boolean,
): string | undefined {
  if (!connection.profile.production || allowed) return undefined;
  const calls = suiteWrites(suites, connection, { environment });
  if (calls.length === 0) return undefined;
  const text = confirmationText({ title: 'Test suites', profile: connection.profile, calls });
  return `These suites would send ${calls.length} write${calls.length === 1 ? '' : 's'} to the PRODUCTION tenant ${connection.profile.tenant}, and nothing was sent.\n${text.detail}\n\nPass --allow-production-writes to send them.`;
}
