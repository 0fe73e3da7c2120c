// `stcrm` spawned as a child process (out/src/cli/main.js, plain Node) for the CLI tests: its exit
// code and output, with the parent's ST_* variables left out.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.join(ROOT, 'out/src/cli/main.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of the parent without any ST_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ST_')) env[name] = value;
  return { ...env, ...extra };
}

/** Runs the CLI; `onStdout` sees the output as it comes, with the child (to signal it). */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; onStdout?: (text: string, child: ReturnType<typeof spawn>) => void },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not finish in time:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export const lastLine = (text: string): string => text.trimEnd().split('\n').pop() ?? '';
