import * as vscode from 'vscode';
import type { Profile } from './profiles';

/**
 * The one confirmation before a change reaches a production tenant: a modal that names the
 * action, the profile and the tenant. True for any other environment, or when the user agrees.
 */
export async function confirmProductionWrite(profile: Profile | undefined, action: string): Promise<boolean> {
  if (profile?.environment !== 'production') return true;
  const choice = await vscode.window.showWarningMessage(
    `Send "${action}" to the PRODUCTION tenant ${profile.tenant}?`,
    { modal: true, detail: `Profile "${profile.name}". This changes real customer data.` },
    'Send to Production',
  );
  return choice === 'Send to Production';
}
