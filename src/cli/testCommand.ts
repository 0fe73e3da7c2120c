/**
 * `stcrm test [files, folders or globs] [--sandbox] [--env NAME] [--junit FILE] [--bail]
 * [--allow-production-writes]`: runs suite files with the suite engine and prints each step.
 * Exit codes: 0 all passed, 1 a step failed or had an error, 2 a usage or configuration problem
 * (said with what to fix; nothing was sent), 130 cancelled with Ctrl-C (after the teardown).
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
import { writeJunit } from './junit';
import { TextReport } from '../suites/report';

export const TEST_USAGE = `Usage: stcrm test [files, folders or globs] [options]

Runs ServiceTitan CRM test suites (*.stcrm-suite.json); without files, every suite below the
current folder (node_modules and dot folders left out).

  --sandbox                   run each suite against a fresh embedded CRM sandbox (its "sandbox"
                              seed, customers and fault rules); no credentials needed
  --env NAME                  variables of NAME (and "$shared") from ./${ENVIRONMENT_FILE}
  --junit FILE                also write the results as JUnit XML to FILE
  --bail                      stop at the first failed step (the teardown still runs)
  --allow-production-writes   let the suites write to a production tenant
  --help                      show this help

Credentials (unless --sandbox): ST_CLIENT_ID, ST_CLIENT_SECRET, ST_APP_KEY, ST_TENANT, and
ST_ENVIRONMENT (integration or production) or ST_API_BASE_URL and ST_TOKEN_URL. Calls are held
to 60 per second. Exit codes: 0 all passed, 1 a failure, 2 a usage or configuration problem,
130 cancelled (Ctrl-C runs the teardown first).
`;

export interface TestArgs {
  patterns: string[];
  sandbox: boolean;
  env?: string;
  junit?: string;
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
      case '--junit': {
        const given = value();
        if (given === undefined || given === '' || (inline === undefined && given.startsWith('--')))
          problem = `${flag} needs a value: ${flag === '--env' ? '--env Integration' : '--junit results.xml'}.`;
        else if (flag === '--env') args.env = given;
        else args.junit = given;
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
    io.stderr(`${parsedArgs.message}\n\n${TEST_USAGE}`);
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
  const fail = (message: string): number => {
    io.stderr(`${clean(message)}\n`);
    return 2;
  };

  const found = findSuiteFiles(args.patterns, io.cwd);
  if (!found.ok) return fail(found.message);
  const inputs: SuiteInput[] = [];
  for (const file of found.files) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (error) {
      return fail(`${file}: cannot be read (${error instanceof Error ? error.message : String(error)}).`);
    }
    inputs.push({ file, parsed: parseSuite(text, file) });
  }
  const report = new TextReport(io.stdout, clean);
  const invalid = inputs.flatMap((input) => (input.parsed.ok ? [] : input.parsed.problems));
  if (invalid.length > 0) {
    const errors = new TextReport(io.stderr, clean);
    errors.problems(invalid);
    errors.line(`Nothing was run: fix the suite file${inputs.filter((input) => !input.parsed.ok).length === 1 ? '' : 's'} above.`);
    return 2;
  }
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

  let connections: SuiteConnections;
  let shared: CrmTransport | undefined;
  if (args.sandbox) {
    connections = freshSandboxPerSuite({ onTransport: (transport) => transports.push(transport) });
  } else {
    const connection = connectionFromEnv(io.env);
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
  if (args.junit !== undefined) {
    try {
      writeJunit(path.resolve(io.cwd, args.junit), results, clean);
    } catch (error) {
      report.summary(results);
      return fail(`The JUnit report could not be written to ${args.junit}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  report.summary(results);
  if (results.cancelled) return 130;
  return results.failed > 0 || results.errored > 0 || results.suites.some((suite) => suite.problems.length > 0) ? 1 : 0;
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
