/**
 * The sandbox CLI (`out/sandbox/cli.js`, what `npm run sandbox` runs) as a child process: its
 * memory is its own, and the bench's client work does not share its event loop.
 */
import * as path from 'node:path';
import { ROOT } from '../host/codeServer';
import { sandboxToken } from './benchHttp';
import { memoryOf, spawnChild, waitFor, type Memory } from './childProcesses';

const CLI = path.join(ROOT, 'out', 'sandbox', 'cli.js');

export interface SandboxProcess {
  pid: number;
  url: string;
  tenant: string;
  /** `${url}/crm/v2/tenant/${tenant}`: the API's paths go after it. */
  apiBase: string;
  /** Authorization (a fresh token of the full-access client) and ST-App-Key. */
  headers: Record<string, string>;
  /** The full-access client's credentials, for a profile of the extension's. */
  credentials: { clientId: string; clientSecret: string; appKey: string };
  memory: () => Memory | undefined;
  close: () => Promise<void>;
}

/** Starts `cli.js --quiet --port 0 ...args` and waits for the credentials it prints. */
export async function startSandboxProcess(args: readonly string[]): Promise<SandboxProcess> {
  const child = spawnChild(process.execPath, [CLI, '--quiet', '--port', '0', ...args]);
  try {
    const printed = await waitFor(child, `sandbox ${args.join(' ')}`, () => {
      const text = child.output();
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      const tenant = /tenant:\s+(\S+)/.exec(text)?.[1];
      const ids = /client id \/ secret:\s+(\S+) \/ (\S+)/.exec(text);
      const appKey = /app key \(ST-App-Key\):\s+(\S+)\n/.exec(text)?.[1];
      return url && tenant && ids?.[1] && ids[2] && appKey ? { url, tenant, clientId: ids[1], clientSecret: ids[2], appKey } : undefined;
    });
    const token = await sandboxToken(printed.url, printed.clientId, printed.clientSecret);
    return {
      pid: child.pid,
      url: printed.url,
      tenant: printed.tenant,
      apiBase: `${printed.url}/crm/v2/tenant/${printed.tenant}`,
      headers: { authorization: `Bearer ${token}`, 'st-app-key': printed.appKey },
      credentials: { clientId: printed.clientId, clientSecret: printed.clientSecret, appKey: printed.appKey },
      memory: () => memoryOf(child.pid),
      close: child.stop,
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
