import { newProfileId, type ProfileStore } from './profiles';
import type { Log } from '../common/log';
import type { SandboxHost } from './sandboxHost';

export const SANDBOX_PROFILE_NAME = 'Local sandbox';

/**
 * Starts the in-process sandbox and makes the "Local sandbox" profile (created or updated
 * with the sandbox's credentials) active in this workspace. One click, no typing.
 */
export async function startSandboxAndActivate(host: SandboxHost, store: ProfileStore, log: Log): Promise<{ url: string; profileId: string }> {
  const sandbox = await host.ensureStarted();
  const existing = store.list().find((profile) => profile.environment === 'sandbox');
  const profile = {
    id: existing?.id ?? newProfileId(),
    name: existing?.name ?? SANDBOX_PROFILE_NAME,
    environment: 'sandbox' as const,
    tenant: sandbox.tenant,
  };
  const { clientId, clientSecret, appKey } = sandbox.credentials;
  log.addSecrets([clientSecret, appKey]);
  await store.save(profile, { clientId, clientSecret, appKey });
  await store.setActive(profile.id);
  return { url: sandbox.url, profileId: profile.id };
}
