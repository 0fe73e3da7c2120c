#!/usr/bin/env node
/**
 * `stcrm`, the command line of the ServiceTitan CRM tools (dist/cli.js, plain Node, no VS Code):
 * `stcrm test …` runs test suites (testCommand.ts), `stcrm sandbox …` starts the local CRM sandbox
 * with the flags of `npm run sandbox` (sandbox/cliMain.ts, in dist/sandbox.js, loaded only then),
 * `stcrm mcp …` serves the agent tools to an MCP host on stdio (mcpCommand.ts, loaded only then).
 */
import { printable } from '../suites/report';
import { runTestCommand, TEST_USAGE } from './testCommand';

const USAGE = `Usage: stcrm <command> [options]

  stcrm test [files, folders or globs] [--sandbox] [--env NAME] [--junit FILE]
             [--timeout SECONDS] [--bail] [--allow-production-writes]
                 run ServiceTitan CRM test suites (*.stcrm-suite.json)
  stcrm sandbox [options]
                 start the local CRM sandbox (stcrm sandbox --help for its options)
  stcrm mcp [--sandbox] [--allow-writes] [--allow-production-writes]
                 serve the CRM's agent tools to an MCP host on stdin and stdout

${TEST_USAGE}`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'test':
      return runTestCommand(rest, {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        env: process.env,
        cwd: process.cwd(),
        ...cancellation(),
      });
    case 'sandbox': {
      // The sandbox's own command line (dist/sandbox.js, loaded only now); it runs until SIGINT or SIGTERM.
      const { runSandboxCli } = await import('../../sandbox/index.js');
      await runSandboxCli(rest, 'stcrm sandbox');
      return new Promise<number>(() => undefined);
    }
    case 'mcp': {
      // The MCP SDK is evaluated only for this command.
      const { runMcpCommand } = await import('./mcpCommand.js');
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      return runMcpCommand(rest, {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: (text) => process.stderr.write(text),
        env: process.env,
        stop: stop.signal,
      });
    }
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`${command === undefined ? 'Name a command.' : `Unknown command ${JSON.stringify(command)}.`}\n\n${USAGE}`);
      return 2;
  }
}

/** Ctrl-C once: stop the steps and run the teardown; twice: stop the teardown; three times: exit now. */
function cancellation(): { cancel: AbortSignal; cancelTeardown: AbortSignal } {
  const steps = new AbortController();
  const teardown = new AbortController();
  let presses = 0;
  const onInterrupt = (): void => {
    presses++;
    if (presses === 1) {
      process.stderr.write('\nCancelling: running the teardown (Ctrl-C again to stop it)…\n');
      steps.abort();
    } else if (presses === 2) {
      process.stderr.write('\nStopping the teardown…\n');
      teardown.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  return { cancel: steps.signal, cancelTeardown: teardown.signal };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Open handles (keep-alive sockets) must not hold the exit.
    setTimeout(() => process.exit(code), 100).unref();
  },
  (error: unknown) => {
    process.stderr.write(`stcrm failed: ${printable(error instanceof Error ? error.message : String(error), true)}\n`);
    process.exit(1);
  },
);
