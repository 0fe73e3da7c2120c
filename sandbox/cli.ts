// `npm run sandbox -- [flags]`: the sandbox's command line (cliMain.ts) on this process's arguments.
import { runSandboxCli } from './cliMain';

runSandboxCli(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`CRM sandbox failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
