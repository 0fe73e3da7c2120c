/**
 * A write's confirmation as an agent surface shows it: Markdown for VS Code's tool confirmation
 * (profile, tenant, and each call with its operation, method, exact URL and body, Production
 * first and in bold), plain text for an MCP client. Same facts as the modal (writes/confirmation.ts),
 * bounded the same way. No vscode import.
 */
import { confirmationText } from '../writes/confirmation';
import type { WriteConfirmation } from '../writes/engine';

const MAX_CALLS_SHOWN = 8;
const MAX_BODY_SHOWN = 2_000;

/** The title of the confirmation: `Send "New Contact" to the PRODUCTION tenant 1000?`. */
export function confirmationTitle(confirmation: WriteConfirmation): string {
  return confirmationText(confirmation).message;
}

export function confirmationMarkdown(confirmation: WriteConfirmation): string {
  const { profile, calls } = confirmation;
  const lines: string[] = [];
  if (profile.production) lines.push(`**Production**: this changes real customer data in tenant ${escapeMarkdown(profile.tenant)}.`, '');
  lines.push(`Profile **${escapeMarkdown(profile.name)}** · tenant ${escapeMarkdown(profile.tenant)}${profile.production ? ' · **PRODUCTION**' : ''}`);
  calls.slice(0, MAX_CALLS_SHOWN).forEach((call, index) => {
    lines.push('', `${calls.length > 1 ? `${index + 1}. ` : ''}${escapeMarkdown(call.label)} (**${escapeMarkdown(call.operationId)}**)`, '');
    lines.push(codeBlock(`${call.method} ${call.url}${call.body !== undefined ? `\n\n${clip(call.body)}` : ''}`));
  });
  if (calls.length > MAX_CALLS_SHOWN) lines.push('', `…and ${calls.length - MAX_CALLS_SHOWN} more calls.`);
  return lines.join('\n');
}

/** The same, as plain text (an MCP client shows it to the person). */
export function confirmationPlainText(confirmation: WriteConfirmation): string {
  const text = confirmationText(confirmation);
  return `${text.message}\n${text.detail}`;
}

/** A fenced block whose fence is longer than any run of backticks inside, so nothing breaks out of it. */
function codeBlock(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&');
}

function clip(text: string): string {
  return text.length <= MAX_BODY_SHOWN ? text : `${text.slice(0, MAX_BODY_SHOWN)}… (${text.length - MAX_BODY_SHOWN} more characters)`;
}
