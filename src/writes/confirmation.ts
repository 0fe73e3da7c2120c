/**
 * The words of the one confirmation a write asks for: the profile, the tenant, and every call
 * with its method, exact URL and body. Bounded in size, whatever the plan holds. No vscode import.
 */
import type { WriteConfirmation } from './engine';

const MAX_CALLS_SHOWN = 8;
const MAX_BODY_SHOWN = 600;

export interface ConfirmationText {
  message: string;
  detail: string;
  /** The button that means yes. */
  button: string;
}

export function confirmationText(confirmation: WriteConfirmation): ConfirmationText {
  const { profile, question, calls, title } = confirmation;
  const where = profile.production ? `the PRODUCTION tenant ${profile.tenant}` : `tenant ${profile.tenant}`;
  const message = question ? (profile.production ? `${question.message} (${where})` : question.message) : `Send "${title}" to ${where}?`;
  const lines = [`Profile "${profile.name}" · tenant ${profile.tenant}${profile.production ? ' · PRODUCTION: this changes real customer data.' : ''}`];
  if (question?.detail) lines.push(question.detail);
  calls.slice(0, MAX_CALLS_SHOWN).forEach((call, index) => {
    lines.push('', `${calls.length > 1 ? `${index + 1}. ` : ''}${call.label} (${call.operationId})`, `${call.method} ${call.url}`);
    if (call.body !== undefined) lines.push(clip(call.body, MAX_BODY_SHOWN));
  });
  if (calls.length > MAX_CALLS_SHOWN) lines.push('', `…and ${calls.length - MAX_CALLS_SHOWN} more calls.`);
  return { message, detail: lines.join('\n'), button: question?.button ?? (profile.production ? 'Send to Production' : 'Send') };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
