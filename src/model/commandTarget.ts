/**
 * Which record a command acts on, in one place. A view's node hands commands plain data under
 * `COMMAND_TARGET`: the record it shows or, on a group node ("People", "Phones & emails"), the
 * record the group belongs to. So no record command imports a tree class (a lint rule in
 * .dependency-cruiser.cjs says so). No vscode import.
 */
import type { Entity, EntityKind } from './entities';

export interface CommandTarget {
  /** The record the node shows, or on a group node the record the group belongs to. */
  readonly record: Entity;
  /** On a group node: the kind of records the group lists (`person` for "People"). */
  readonly group?: EntityKind;
}

/**
 * The key a node offers its target under. A symbol, so no argument object a script or a
 * keybinding passes can pass for a node.
 */
export const COMMAND_TARGET: unique symbol = Symbol('stcrm.commandTarget');

/** A node a command can be run on (a tree node); undefined when it shows no record (Load more, messages). */
export interface HasCommandTarget {
  readonly [COMMAND_TARGET]: CommandTarget | undefined;
}

export function hasCommandTarget(value: unknown): value is HasCommandTarget {
  return typeof value === 'object' && value !== null && COMMAND_TARGET in value;
}

/**
 * The target of a command: the node it was run on (a context menu), or, run without an argument
 * (palette, keybinding), the first node of `selection` (what the view has selected). Undefined
 * for any other argument (an argument object is the command's own to read) and for a node that
 * shows no record.
 */
export function commandTarget(arg: unknown, selection: readonly unknown[] = []): CommandTarget | undefined {
  const node = arg === undefined ? selection[0] : arg;
  return hasCommandTarget(node) ? node[COMMAND_TARGET] : undefined;
}

/** The record the node itself shows: undefined on a group node, whose record is its owner's. */
export function shownRecord(target: CommandTarget | undefined): Entity | undefined {
  return target && target.group === undefined ? target.record : undefined;
}

/**
 * The record of `kind` that a new record of `childKind` goes under, when the command was run on
 * that record or on its group of `childKind` records: "the customer this was run on" is
 * `parentRecord(target, 'customer', 'person')` on a customer or its "People".
 */
export function parentRecord<K extends EntityKind>(
  target: CommandTarget | undefined,
  kind: K,
  childKind: EntityKind,
): Extract<Entity, { kind: K }> | undefined {
  if (!target || !isKind(target.record, kind)) return undefined;
  if (target.group !== undefined && target.group !== childKind) return undefined;
  return target.record;
}

function isKind<K extends EntityKind>(entity: Entity, kind: K): entity is Extract<Entity, { kind: K }> {
  return entity.kind === kind;
}
