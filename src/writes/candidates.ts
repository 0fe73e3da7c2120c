/**
 * The records a create with a lost answer may have made, in a few words each with why they
 * match: what every surface offers instead of creating the record twice. No vscode import.
 */
import type { RecoveryCandidate } from '../api/recovery';
import type { CustomerContact } from '../api/schemas';
import { CONTACT_TYPE_LABELS } from '../model/entities';

export interface DescribedCandidate {
  id: string;
  label: string;
  detail: string;
  record: unknown;
}

export function describeCandidates(found: readonly RecoveryCandidate<unknown>[]): DescribedCandidate[] {
  return found.flatMap((candidate) => {
    const record = candidate.record;
    if (typeof record !== 'object' || record === null || !('id' in record)) return [];
    const item = record as {
      id: string | number;
      type?: CustomerContact['type'];
      value?: string;
      memo?: string | null;
      referenceId?: string | null;
      name?: string | null;
      createdOn?: string;
    };
    const label = item.type !== undefined && item.value !== undefined ? `${CONTACT_TYPE_LABELS[item.type]} ${item.value}` : item.name?.trim() || '(no name)';
    const created = item.createdOn ? `created ${new Date(item.createdOn).toLocaleString('en-US')}` : undefined;
    const detail = [candidate.reason, item.memo, item.referenceId ? `reference ${item.referenceId}` : undefined, created, `ID ${String(item.id)}`]
      .filter(Boolean)
      .join(' · ');
    return [{ id: String(item.id), label, detail, record }];
  });
}
