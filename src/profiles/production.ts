import * as vscode from 'vscode';
import { confirmationText } from '../writes/confirmation';
import type { WriteConfirmation } from '../writes/engine';
import type { Profile } from './profiles';

/** Production, or a Custom URL profile marked as production (a staging copy of live data). */
export function isProductionProfile(profile: Pick<Profile, 'environment' | 'production'>): boolean {
  return profile.environment === 'production' || (profile.environment === 'custom' && profile.production === true);
}

/**
 * The one confirmation before a write: a modal that names the profile, the tenant, and each call
 * with its method, exact URL and body. True only when the user presses its yes button.
 */
export async function confirmWriteModal(confirmation: WriteConfirmation): Promise<boolean> {
  const text = confirmationText(confirmation);
  const choice = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, text.button);
  return choice === text.button;
}
