/**
 * `npm start`: the newcomer's way in. Starts the CRM sandbox (for cURL, Postman or a Custom URL
 * profile) and code-server with this extension loaded and a folder open, then prints the URL to
 * open in a browser. Its user data lives in .test-host/start/, so profiles survive restarts.
 * Ctrl-C stops both.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox } from '../../sandbox';
import { checkPrerequisites, ROOT, startCodeServer } from './codeServer';

async function main(): Promise<void> {
  // You open the printed URL in your own browser: no Chromium needed.
  checkPrerequisites([{ path: path.join(ROOT, 'dist', 'extension.js'), fix: 'run `npm run build`' }], { browser: false });
  const runDir = path.join(ROOT, '.test-host', 'start');
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });

  const sandbox = await startSandbox({ port: Number(process.env.STCRM_SANDBOX_PORT ?? 0) });
  const server = await startCodeServer({ runDir, workspace });
  const url = server.url({ extensionDevelopmentPath: ROOT });
  const { clientId, clientSecret, appKey } = sandbox.credentials;
  console.log(`
CRM sandbox listening on ${sandbox.url}
  tenant ${sandbox.tenant} · client id ${clientId} · client secret ${clientSecret} · app key ${appKey}

VS Code (code-server) with the ServiceTitan CRM extension is ready. Open:
  ${url}

In the ServiceTitan CRM view, click "Try the Local Sandbox" (the extension runs its own sandbox),
or add a Custom URL profile for the sandbox above. Press Ctrl-C to stop.
`);
  const stop = async () => {
    await server.stop();
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await server.exited;
  await sandbox.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
