// Another program edited the data file (`--watch`): the edit is merged as a change, never loaded
// blindly over writes standin acknowledged since it last wrote the file. The edit is diffed row by
// row, field by field, against the file as standin last wrote it, and the difference is applied as
// writes, so subscribers get the create / update / delete events it implies.
//
// Which version of the file was the edit made from? Usually the newest one standin wrote, but an
// editor may have read the file just before standin rewrote it. Of the recent versions (`bases`,
// newest first) the one the edit differs from in the fewest rows is taken, so that rows the editor
// never touched do not look like edits that undo standin's writes.
//
// When the edit and a write since that version change the same field of the same row, the edit wins:
// it is the later change (standin sees it after the write). Fields only the write changed are kept.
// Each such case is reported in a `log` output.
import { DirectusError } from './errors.ts';
import { sameJson } from './json.ts';
import { carryIndexes } from './relations.ts';
import { dispatch } from './realtime/dispatch.ts';
import { dataFromJson } from './state.ts';
import { getItem, removeItem, setItem } from './store.ts';
import type { ChangeEvent } from './items/tx.ts';
import type { CollectionStore, Data, Item, JsonValue, Output, PrimaryKey, Result, State } from './types.ts';

/** How one row of the file changed between the base and the edit. */
interface RowEdit {
  readonly key: PrimaryKey;
  /** The row in the base; undefined: the edit created it. */
  readonly base: Item | undefined;
  /** The row in the edit; undefined: the edit deleted it. */
  readonly edited: Item | undefined;
}

const log = (text: string): Output => ({ type: 'log', text });

/**
 * The rows that differ between one collection's base and its edited version, appended to `out`;
 * false as soon as there are more than `limit` (a better base is known: no need to finish).
 */
const rowEdits = (out: RowEdit[], base: CollectionStore | undefined, edited: CollectionStore | undefined, limit: number): boolean => {
  if (edited) {
    for (const [key, row] of edited.items) {
      const was = base ? getItem(base, key) : undefined;
      if (was === undefined || !sameJson(was, row)) out.push({ key, base: was, edited: row });
      if (out.length > limit) return false;
    }
  }
  if (base) {
    for (const [key, row] of base.items) {
      if (!edited || getItem(edited, key) === undefined) out.push({ key, base: row, edited: undefined });
      if (out.length > limit) return false;
    }
  }
  return true;
};

interface Diff {
  readonly byCollection: Map<string, RowEdit[]>;
  readonly size: number;
}

/** The edit against one base, or undefined when it differs in more than `limit` rows. */
const editsAgainst = (state: State, base: Data, edited: Data, limit = Infinity): Diff | undefined => {
  const byCollection = new Map<string, RowEdit[]>();
  let size = 0;
  for (const name of Object.keys(state.schema.collections)) {
    const edits: RowEdit[] = [];
    if (!rowEdits(edits, base.collections[name], edited.collections[name], limit - size)) return undefined;
    size += edits.length;
    if (edits.length > 0) byCollection.set(name, edits);
  }
  return { byCollection, size };
};

/** The fields an edit changed in a row, with their new values (undefined: the field was removed). */
const changedFields = (edit: RowEdit): Map<string, JsonValue | undefined> => {
  const fields = new Map<string, JsonValue | undefined>();
  const before = edit.base ?? {};
  const after = edit.edited ?? {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!sameJson(before[field], after[field])) fields.set(field, after[field]);
  }
  return fields;
};

const describe = (collection: string, key: PrimaryKey) => `${collection} ${JSON.stringify(key)}`;

/** Writes (or with `row` undefined, removes) one row, carrying the relation indexes along. */
const writeRow = (store: CollectionStore, key: PrimaryKey, row: Item | undefined): CollectionStore => {
  const next = row ? setItem(store, key, row) : removeItem(store, key);
  carryIndexes(store, next, key, getItem(store, key), row);
  return next;
};

const countKeys = (events: readonly ChangeEvent[], action: ChangeEvent['action']): number =>
  events.filter((e) => e.action === action).reduce((n, e) => n + e.keys.length, 0);

/** Applies the edits of one collection to the current store; returns its events and conflict reports. */
const applyEdits = (
  store: CollectionStore, collection: string, edits: readonly RowEdit[],
): { store: CollectionStore; events: ChangeEvent[]; logs: Output[] } => {
  const created: PrimaryKey[] = [];
  const updated: PrimaryKey[] = [];
  const deleted: PrimaryKey[] = [];
  const logs: Output[] = [];
  let current = store;

  for (const edit of edits) {
    const now = getItem(current, edit.key);
    // Rows are immutable values shared between versions: the same object was not written since the base.
    const writtenSince = now !== edit.base && !sameJson(now, edit.base);
    if (edit.edited === undefined) {
      if (now === undefined) continue; // a write deleted it too
      if (writtenSince) logs.push(log(`the outside edit deleted ${describe(collection, edit.key)}, which a write changed after the file was saved: the edit won (it came later)`));
      current = writeRow(current, edit.key, undefined);
      deleted.push(edit.key);
      continue;
    }
    const fields = changedFields(edit);
    const row: Record<string, JsonValue> = { ...(now ?? edit.base ?? {}) };
    for (const [field, value] of fields) {
      if (value === undefined) delete row[field];
      else row[field] = value;
    }
    if (writtenSince) {
      const both = [...fields.keys()].filter((f) => !sameJson(now?.[f], edit.base?.[f]));
      if (now === undefined) logs.push(log(`the outside edit changed ${describe(collection, edit.key)}, which a write deleted after the file was saved: the edit won (it came later)`));
      else if (both.length > 0) logs.push(log(`the outside edit and a write both changed ${both.join(', ')} of ${describe(collection, edit.key)}: the edit won (it came later)`));
    }
    if (now !== undefined && sameJson(now, row)) continue;
    current = writeRow(current, edit.key, row);
    (now === undefined ? created : updated).push(edit.key);
  }
  const events: ChangeEvent[] = [];
  if (created.length > 0) events.push({ collection, action: 'create', keys: created });
  if (updated.length > 0) events.push({ collection, action: 'update', keys: updated });
  if (deleted.length > 0) events.push({ collection, action: 'delete', keys: deleted });
  return { store: current, events, logs };
};

/** System records (users, roles, policies…) are taken from the edit whole where it changed them. */
const systemEdits = (state: State, base: Data, edited: Data): { system: Data['system']; logs: Output[] } => {
  const system: Record<string, readonly Item[]> = { ...state.data.system };
  const logs: Output[] = [];
  for (const name of new Set([...Object.keys(base.system), ...Object.keys(edited.system)])) {
    if (sameJson(base.system[name] ?? [], edited.system[name] ?? [])) continue;
    if (edited.system[name] === undefined) delete system[name];
    else system[name] = edited.system[name];
    logs.push(log(`the outside edit replaced ${name}`));
  }
  return { system, logs };
};

const unknownCollections = (state: State, edited: unknown): string[] =>
  typeof edited === 'object' && edited !== null
    ? Object.keys(edited).filter((name) => !name.startsWith('directus_') && !name.startsWith('$') && !Object.hasOwn(state.schema.collections, name))
    : [];

/**
 * Merges an outside edit of the data file into the state. `edited` is the file's parsed content;
 * `bases` the data values standin last wrote to the file or loaded from it, newest first (at least
 * one). Pure: the result's outputs are the subscription events and `log` lines.
 */
export const outsideEdit = (state: State, edited: unknown, bases: readonly Data[], now: number): Result => {
  const parsed = dataFromJson(edited, state.schema);
  if (parsed instanceof DirectusError) return [state, [log(`ignored an outside edit: ${parsed.message}`)]];
  const candidates = bases.length > 0 ? bases : [state.data];
  // The version the edit differs least from (the newest on a tie); a candidate is dropped as soon
  // as it differs in as many rows as the best so far.
  let base = candidates[0]!;
  let best = editsAgainst(state, base, parsed)!;
  for (const older of new Set(candidates.slice(1))) {
    if (best.size === 0) break;
    if (older === base) continue;
    const against = editsAgainst(state, older, parsed, best.size - 1);
    if (against) {
      base = older;
      best = against;
    }
  }
  const edits = best.byCollection;

  const logs: Output[] = unknownCollections(state, edited).map((name) => log(`the outside edit's "${name}" is not a collection of the schema; ignored (restart to serve new collections)`));
  const collections: Record<string, CollectionStore> = { ...state.data.collections };
  const events: ChangeEvent[] = [];
  for (const [collection, list] of edits) {
    const applied = applyEdits(collections[collection]!, collection, list);
    collections[collection] = applied.store;
    events.push(...applied.events);
    logs.push(...applied.logs);
  }
  const system = systemEdits(state, base, parsed);
  logs.push(...system.logs);
  const data: Data = { collections, system: system.logs.length > 0 ? system.system : state.data.system };
  const summary = log(`merged an outside edit: ${countKeys(events, 'create')} created, ${countKeys(events, 'update')} updated, ${countKeys(events, 'delete')} deleted`);
  if (events.length === 0 && system.logs.length === 0) return [state, [...logs, summary]];
  const next: State = { ...state, data };
  return [next, [...logs, summary, ...dispatch(next, state.data, events, now)]];
};
