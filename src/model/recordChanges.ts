/**
 * The one place records change. Forms, quick inputs, deletes and archives publish what they did;
 * the tree (and open forms) listen, so no command reaches into tree nodes. No vscode import.
 */
import type { Entity, EntityKind } from './entities';

export type RecordChange =
  | {
      type: 'created';
      entity: Entity;
      /** Customers or locations a new person was linked to (contact relationships). */
      relatedTo?: readonly number[];
      /**
       * How the views show it: `select` it (the default; scripts and forms, which keep the
       * keyboard), `focus` the view on it too (quick inputs, and say so when it is not loaded), or
       * `none` (a step of a larger create that selects its own record).
       */
      reveal?: 'none' | 'select' | 'focus';
    }
  | { type: 'updated'; entity: Entity }
  | {
      type: 'deleted';
      kind: EntityKind;
      id: string;
      /** The customer, location or person the record belonged to, where it has one. */
      parentId?: string;
    };

export type RecordChangeListener = (change: RecordChange) => void | Promise<void>;

export class RecordChanges {
  private readonly listeners = new Set<RecordChangeListener>();

  /** Calls `listener` for every change; the returned function stops that. */
  subscribe(listener: RecordChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Tells every listener and waits for them (the tree reloads and selects a new record), so the
   * command that made the change ends once the views show it. A failing listener does not keep
   * the others from hearing about it; its error is passed to `onListenerError`.
   */
  async publish(change: RecordChange): Promise<void> {
    await Promise.all(
      [...this.listeners].map(async (listener) => {
        try {
          await listener(change);
        } catch (error) {
          this.onListenerError(error);
        }
      }),
    );
  }

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}
}

/** The parent id of a record, as `RecordChange.parentId` names it. */
export function parentIdOf(entity: Entity): string | undefined {
  switch (entity.kind) {
    case 'customerContact':
      return String(entity.customerId);
    case 'locationContact':
      return String(entity.locationId);
    case 'contactMethod':
      return entity.method.contactId;
    case 'location':
      return String(entity.location.customerId);
    case 'customer':
    case 'person':
      return undefined;
  }
}
