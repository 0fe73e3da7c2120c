// The sandbox's command line: runs the CRM sandbox in the foreground until SIGINT/SIGTERM. The
// flags are in cliOptions.ts; sandbox/README.md is the reference. `npm run sandbox` runs
// cli.ts; `npx stcrm sandbox` calls runSandboxCli through index.ts.
import { parseCliArgs, sandboxHelp, type CliSettings } from './cliOptions';
import { checkSandboxOptions, startSandbox } from './server';
import type { RunningSandbox, SandboxOptions } from './types';

/** The seeded-data line: what the data derives from, and the flags a data file overrode. */
function seededDataLine(options: SandboxOptions, sandbox: RunningSandbox): string {
  const unused: string[] = [];
  if (options.seed !== undefined && options.seed !== sandbox.seed) unused.push(`--seed ${options.seed}`);
  if (options.customers !== undefined && options.customers !== sandbox.customers) unused.push(`--customers ${options.customers}`);
  const overridden = unused.length === 0 ? '' : ` (the data file's: ${unused.join(' and ')} ${unused.length === 1 ? 'is' : 'are'} not used)`;
  return `  seeded data:          seed ${sandbox.seed}, ${sandbox.customers} customers${overridden}\n`;
}

function banner(options: SandboxOptions, sandbox: RunningSandbox): string {
  const credentials = sandbox.credentials;
  const lines = [
    `CRM sandbox listening on ${sandbox.url}\n`,
    `  tenant:               ${sandbox.tenant}\n`,
    `  token URL:            ${sandbox.url}/connect/token\n`,
    `  API base URL:         ${sandbox.url}/crm/v2/tenant/${sandbox.tenant}\n`,
    `  client id / secret:   ${credentials.clientId} / ${credentials.clientSecret}\n`,
    `  app key (ST-App-Key): ${credentials.appKey}\n`,
    `  read-only client:     ${credentials.readOnlyClientId} / ${credentials.readOnlyClientSecret}\n`,
    seededDataLine(options, sandbox),
  ];
  if (options.dataFile) lines.push(`  data file:            ${options.dataFile}\n`);
  if (options.liveNulls === false) lines.push(`  live API nulls:       off (values as the document says)\n`);
  if (options.rateLimitPerSecond) lines.push(`  rate limit:           ${options.rateLimitPerSecond} calls/s per app key and tenant (429 beyond)\n`);
  return lines.join('');
}

/**
 * The sandbox's command line (`npm run sandbox -- …`, `npx stcrm sandbox …`): parses `args`,
 * starts the sandbox and keeps it running until SIGINT or SIGTERM, which stop it cleanly and end
 * the process. Exits 2 on bad flags or values out of range. `command` is how --help names it.
 */
export async function runSandboxCli(args: readonly string[], command = 'npm run sandbox --'): Promise<void> {
  let settings: CliSettings;
  try {
    settings = parseCliArgs(args);
    if (!settings.help) checkSandboxOptions(settings.options);
  } catch (e) {
    process.stderr.write(`${(e as Error).message} (see --help)\n`);
    process.exit(2);
  }
  if (settings.help) {
    process.stdout.write(sandboxHelp(command));
    process.exit(0);
  }
  const options = settings.options;
  if (!settings.quiet) options.log = (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const sandbox = await startSandbox(options);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping CRM sandbox\n`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Printed once a signal stops it cleanly: whoever waits for this banner may stop it at once.
  process.stdout.write(banner(options, sandbox));
}
