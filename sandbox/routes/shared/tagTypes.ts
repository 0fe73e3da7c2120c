// Tag type ids in request bodies: only the tag types the sandbox has (seed.ts) may be stored.
import { addError, type ErrorMap } from '../../errors';
import { TAG_TYPE_IDS } from '../../seed';

/** Whether a tag type exists: the one check behind every operation that takes tag type ids. */
export function knownTagType(id: number): boolean {
  return id >= TAG_TYPE_IDS.first && id <= TAG_TYPE_IDS.last;
}

/**
 * Adds a 400 entry at `key` (`TagTypeIds`, `Locations[0].TagTypeIds`) when a body's tag type ids
 * name tag types that do not exist, so no write stores an id Customers_CreateTag would answer 404 for.
 */
export function checkTagTypeIds(errors: ErrorMap, key: string, ids: unknown): void {
  if (!Array.isArray(ids)) return;
  const unknownIds = [...new Set(ids.filter((id): id is number => typeof id === 'number' && !knownTagType(id)))];
  if (unknownIds.length === 0) return;
  const shown = unknownIds.slice(0, 20).join(', ');
  addError(errors, key, `Tag types not found: ${shown}${unknownIds.length > 20 ? ', …' : ''}.`);
}
