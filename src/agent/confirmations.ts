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

/**
 * Markdown that reads the same rendered in a chat and stripped to plain text in VS Code's modal
 * (which keeps backslash escapes, shows quotes in code spans as `&quot;`, and glues a code block to
 * whatever follows it): Production in bold first, then one code block, last, with the profile,
 * tenant and each call's operation, method, URL and body. Inside it no value (a name, a body) can
 * add a line, a link or emphasis. The plans' step labels, which hold values too, are left out:
 * operation, method, URL and body say exactly what is sent.
 */
export function confirmationMarkdown(confirmation: WriteConfirmation): string {
  const { profile, calls } = confirmation;
  const lines = [`Profile "${oneLine(profile.name)}" · tenant ${oneLine(profile.tenant)}${profile.production ? ' · PRODUCTION' : ''}`];
  calls.slice(0, MAX_CALLS_SHOWN).forEach((call, index) => {
    lines.push('', `${calls.length > 1 ? `Call ${index + 1} of ${calls.length}` : 'Call'} · ${call.operationId}`, `${call.method} ${oneLine(call.url)}`);
    if (call.body !== undefined) lines.push(oneLine(clip(call.body)));
  });
  if (calls.length > MAX_CALLS_SHOWN) lines.push('', `…and ${calls.length - MAX_CALLS_SHOWN} more calls.`);
  const block = codeBlock(lines.join('\n'));
  return profile.production ? `**Production**: this changes real customer data in tenant ${oneLine(profile.tenant)}.\n\n${block}` : block;
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

/** A value on one line: a line break in it could pass for another line of the confirmation. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

function clip(text: string): string {
  return text.length <= MAX_BODY_SHOWN ? text : `${text.slice(0, MAX_BODY_SHOWN)}… (${text.length - MAX_BODY_SHOWN} more characters)`;
}
