// Notes of customers, locations and leads as the API answers them.
import type { NoteRec } from '../../types';

/** Crm.V2.NoteResponse */
export function noteResponse(note: NoteRec): Record<string, unknown> {
  return {
    id: note.id,
    text: note.text,
    isPinned: note.isPinned,
    createdById: note.createdById,
    createdOn: note.createdOn,
    modifiedOn: note.modifiedOn,
  };
}
