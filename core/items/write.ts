// The write half of the items service, as one transaction. A Tx is a working copy over the
// persistent stores: every write replaces a store with a new version (O(log n)), so the state the
// transaction started from is never touched. A write that fails anywhere returns a Failure and the
// caller keeps the old state: nested writes are all-or-nothing and auto-increment counters are only
// consumed by writes that stand.
import { produce } from '../draft.ts';
import { DirectusError, failedValidation, forbidden, invalidForeignKey, invalidPayload, isFailure, notUnique, Silent, type Failure } from '../errors.ts';
import { nextUuid } from '../random.ts';
import { normalizeKey, validKey } from '../keys.ts';
import {
  carryIndexes, m2oOf, referencingRelations, relatedChildren, relatedParent, rowsWithValue,
} from '../relations.ts';
import { getItem, hasItem, nextAutoIncrement, removeItem, setItem } from '../store.ts';
import type { Accountability, Collection, Field, Item, JsonValue, PrimaryKey, State } from '../types.ts';
import { processM2O, processO2M } from './nested.ts';
import { revisionFailure } from './revision.ts';
import { hashValue } from './hash.ts';
import { storedValue } from '../stored-value.ts';
import { hasUuidKey, postgresColumn } from '../postgres-column.ts';
import { DIALECTS, SQLITE } from '../dialect.ts';
import { info, isPayload, type ChangeEvent, type ItemWrites, type Payload, type Tx } from './tx.ts';

/** Directus's mutation tracker: one request may write at most MAX_BATCH_MUTATION items. */
const trackMutations = (tx: Tx, count: number): Failure | undefined => {
  tx.mutations += count;
  return tx.mutations > tx.maxMutations ? invalidPayload(`Exceeded max batch mutation limit of ${tx.maxMutations}`) : undefined;
};

const storedColumns = new WeakMap<Collection, readonly string[]>();

/** Stored columns only (alias fields are derived); worked out once per schema collection. */
const columns = (c: Collection): readonly string[] => {
  let list = storedColumns.get(c);
  if (!list) storedColumns.set(c, (list = c.fieldOrder.filter((f) => !c.fields[f]!.alias)));
  return list;
};

/** Writes (or with `row` undefined, removes) one row, carrying the relation indexes along. */
const writeRow = (tx: Tx, collection: string, key: PrimaryKey, row: Item | undefined): void => {
  const before = tx.data.collections[collection]!;
  const after = row ? setItem(before, key, row) : removeItem(before, key);
  carryIndexes(before, after, key, getItem(before, key), row);
  tx.data = { ...tx.data, collections: { ...tx.data.collections, [collection]: after } };
};

const emit = (tx: Tx, event: ChangeEvent): void => {
  tx.events.push(event);
};

/**
 * Runs a write Directus was asked for directly: it reports its own event first, then the nested
 * writes' events (which report theirs after their own nested ones).
 */
export const topLevel = <T>(tx: Tx, write: () => T | Failure): T | Failure => {
  const start = tx.events.length;
  const result = write();
  if (!isFailure(result) && tx.events.length > start + 1) tx.events.splice(start, 0, tx.events.pop()!);
  return result;
};

// ------------------------------------------------------------------ constraints

/** Whether a create must be given `field` (NOT NULL without default; generated keys excepted). */
const required = (c: Collection, field: string): boolean => {
  const def = c.fields[field]!;
  if (def.nullable || def.alias || def.defaultValue !== null) return false;
  if (!def.primaryKey) return true;
  return !(def.autoIncrement || def.type === 'integer' || def.type === 'uuid' || def.special.includes('uuid'));
};

/**
 * Directus validates NOT NULL fields before writing and throws the failure as an array, which the
 * WebSocket handler cannot format: no reply at all.
 */
const nullViolation = (c: Collection, payload: Payload, creating: boolean, nested: readonly string[]): Silent | undefined => {
  for (const f of columns(c)) {
    const given = Object.hasOwn(payload, f) ? payload[f] : undefined;
    if (creating ? required(c, f) && (given === undefined || given === null) : given === null && !c.fields[f]!.nullable && f !== c.primary) {
      return new Silent(`"${c.collection}.${f}" can't be null`, failedValidation(f, given === undefined ? 'required' : 'nnull', nested));
    }
  }
  return undefined;
};

/** Unique columns (other than the key) must not repeat another row's value. */
const uniqueViolation = (tx: Tx, c: Collection, row: Item, key: PrimaryKey, fields: readonly string[]): DirectusError | undefined => {
  for (const f of fields) {
    const def = c.fields[f]!;
    const value = row[f];
    if (!def.unique || def.primaryKey || value === null || value === undefined) continue;
    const clash = typeof value === 'number' || typeof value === 'string'
      ? rowsWithValue(tx.schema, tx.data, c.collection, f, value).some((other) => other[c.primary] !== key)
      : [...tx.data.collections[c.collection]!.items].some(([k, other]) => k !== key && JSON.stringify(other[f]) === JSON.stringify(value));
    if (clash) return notUnique(value, f, c.collection);
  }
  return undefined;
};

/** Foreign keys must point at an existing row (SQLite enforces them in Directus's setup, Postgres too). */
const foreignKeyViolation = (tx: Tx, c: Collection, row: Item, fields: readonly string[], payload: Payload): DirectusError | undefined => {
  for (const f of fields) {
    const relation = m2oOf(tx.schema, c.collection, f);
    const value = row[f];
    // Keys into collections standin does not serve (directus_users, …) are not checked.
    if (!relation || value === null || value === undefined || !tx.data.collections[relation.oneCollection!]) continue;
    if (!relatedParent(tx.schema, tx.data, relation, value)) {
      return invalidForeignKey(tx.dialect.foreignKeyDetail ? { collection: c.collection, field: f, value: Object.hasOwn(payload, f) ? payload[f]! : value } : undefined);
    }
  }
  return undefined;
};

/**
 * A relational value as its column holds it: a foreign key in the related key's type (SQLite's
 * column affinity turns "2" into 2), an m2a key as text.
 */
const stored = (tx: Tx, c: Collection, field: string, value: JsonValue, payload: Payload): JsonValue | Failure => {
  if (value === null) return null;
  const def = c.fields[field]!;
  const m2o = m2oOf(tx.schema, c.collection, field);
  if (m2o) {
    // A typed column refuses a key of the wrong type before any constraint is checked.
    const typed = tx.dialect.typedColumns ? storedValue(def, value, tx.dialect, columnContext(c, payload, hasUuidKey(tx.schema, m2o.oneCollection))) : value;
    return isFailure(typed) ? typed : normalizeKey(tx.schema, m2o.oneCollection!, value) ?? value;
  }
  if (def.special.includes('hash') && value) {
    const [hash, seed] = hashValue(String(value), tx.seed);
    tx.seed = seed;
    return hash;
  }
  // Only a typed column (Postgres) reads the context; SQLite's writes skip building it.
  return storedValue(def, value, tx.dialect, tx.dialect.typedColumns ? columnContext(c, payload, def.primaryKey && hasUuidKey(tx.schema, c.collection)) : undefined);
};

const columnContext = (c: Collection, payload: Payload, uuid: boolean) => ({ collection: c.collection, payloadFields: Object.keys(payload), uuid });

/**
 * The stored form of every written column, or the first failure (in column order); processDates'
 * INVALID_PAYLOAD (date text it cannot read) comes before any refusal of the statement itself.
 */
const storedRow = (tx: Tx, c: Collection, row: Record<string, JsonValue>, written: readonly string[], from: Payload): Failure | undefined => {
  let first: Failure | undefined;
  for (const f of written) {
    const value = stored(tx, c, f, from[f]!, from);
    if (!isFailure(value)) row[f] = value;
    else if (value instanceof DirectusError && value.code === 'INVALID_PAYLOAD') return value;
    else first ??= value;
  }
  return first;
};

// ------------------------------------------------------------------ the service calls

/** An integer key (a number, or digits in a string) beyond 2^53 − 1, which JSON numbers cannot carry exactly. */
const unsafeIntegerKey = (pk: Field, key: JsonValue): boolean => {
  if (pk.type !== 'integer' && pk.type !== 'bigInteger') return false;
  const n = typeof key === 'number' ? key : typeof key === 'string' && /^\s*-?\d+\s*$/.test(key) ? Number(key) : Number.NaN;
  return Number.isInteger(n) && !Number.isSafeInteger(n);
};

/**
 * A value the database refused, reported as knex reports it: the statement, then the database's
 * words (`insert into "t" ("a", "b") values ($1, $2) returning "id" - invalid input syntax …`).
 * knex sorts the columns; Directus generates a uuid key before it inserts.
 */
const inInsert = (failure: Failure, c: Collection, written: readonly string[]): Failure => {
  if (!(failure instanceof Silent) || failure.error) return failure;
  const pk = c.fields[c.primary]!;
  const generated = !written.includes(c.primary) && (pk.type === 'uuid' || pk.special.includes('uuid'));
  const cols = [...written, ...(generated ? [c.primary] : [])].sort();
  const statement = `insert into "${c.collection}" (${cols.map((f) => `"${f}"`).join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')}) returning "${c.primary}"`;
  return new Silent(`${statement} - ${failure.reason}`);
};

/** The same for an update: knex keeps the columns in the field order, one parameter per key. */
const inUpdate = (failure: Failure, c: Collection, changed: readonly string[], keys: number): Failure => {
  if (!(failure instanceof Silent) || failure.error) return failure;
  const set = changed.map((f, i) => `"${f}" = $${i + 1}`).join(', ');
  const params = Array.from({ length: keys }, (_, i) => `$${changed.length + i + 1}`).join(', ');
  return new Silent(`update "${c.collection}" set ${set} where "${c.primary}" in (${params}) - ${failure.reason}`);
};

/** What both writes do first: the NOT NULL check, then nested m2o/m2a objects written and replaced by their keys. */
const resolveM2O = (tx: Tx, c: Collection, payload: Payload, creating: boolean): Payload | Failure =>
  nullViolation(c, payload, creating, tx.nested) ?? processM2O(tx, c, payload);

/** createOne: defaults, generated key, nested m2o/m2a first, constraints, then nested o2m. Returns the key. */
export const createOne = (tx: Tx, collection: string, input: unknown): PrimaryKey | Failure => {
  const tracked = trackMutations(tx, 1);
  if (tracked) return tracked;
  const c = info(tx, collection);
  const payload = isPayload(input) ? input : {};
  const resolved = resolveM2O(tx, c, payload, true);
  if (isFailure(resolved)) return resolved;
  const row: Record<string, JsonValue> = {};
  for (const f of columns(c)) row[f] = c.fields[f]!.defaultValue;
  const written = columns(c).filter((f) => Object.hasOwn(resolved, f));
  // Postgres reads the insert's parameters in its column order (knex sorts the columns).
  const invalidValue = storedRow(tx, c, row, tx.dialect.typedColumns ? [...written].sort() : written, resolved);
  if (invalidValue) return tx.dialect.typedColumns ? inInsert(invalidValue, c, written) : invalidValue;
  let key = row[c.primary];
  const pk = c.fields[c.primary]!;
  if (key === null || key === undefined) {
    if (pk.autoIncrement || pk.type === 'integer') key = nextAutoIncrement(tx.data.collections[collection]!);
    else if (pk.type === 'uuid' || pk.special.includes('uuid')) {
      const [uuid, seed] = nextUuid(tx.seed);
      key = uuid;
      tx.seed = seed;
    } else return new Silent(`missing primary key "${c.primary}"`);
  }
  if (unsafeIntegerKey(pk, key)) {
    return invalidPayload(`"${c.primary}" must be a safe integer, from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}: JSON cannot carry larger keys exactly`);
  }
  if (key && !validKey(tx.schema, collection, key)) return forbidden();
  const storedKey = normalizeKey(tx.schema, collection, key);
  // SQLite refuses a non-integer INTEGER PRIMARY KEY ("datatype mismatch"); Directus answers nothing.
  if (storedKey === undefined) return new Silent(`primary key ${JSON.stringify(key)} does not fit "${c.primary}"`);
  row[c.primary] = storedKey;
  if (hasItem(tx.data.collections[collection]!, storedKey)) return notUnique(key, c.primary, collection);
  const violation = uniqueViolation(tx, c, row, storedKey, columns(c)) ?? foreignKeyViolation(tx, c, row, columns(c), resolved);
  if (violation) return violation;
  writeRow(tx, collection, storedKey, row);
  const nested = processO2M(tx, c, payload, storedKey);
  if (isFailure(nested)) return nested;
  const revision = revisionFailure(c, payload, false);
  if (revision) return revision;
  emit(tx, { collection, action: 'create', keys: [storedKey] });
  return storedKey;
};

/** The first key the primary key's Postgres column cannot read (`true` for an integer key). */
const refusedKey = (tx: Tx, c: Collection, keys: readonly JsonValue[]): Failure | undefined => {
  const pk = c.fields[c.primary]!;
  const column = { collection: c.collection, uuid: hasUuidKey(tx.schema, c.collection), payloadFields: [] };
  for (const key of keys) {
    const read = key === null ? null : postgresColumn(pk, key, column);
    if (read instanceof Silent) return read;
  }
  return undefined;
};

/**
 * updateMany (updateOne is updateMany of one key): nested m2o/m2a once for all keys, the columns of
 * each existing row, then nested o2m per key; one `update` event carrying the keys as given.
 */
export const updateMany = (tx: Tx, collection: string, keys: readonly JsonValue[], input: unknown): void | Failure => {
  const tracked = trackMutations(tx, keys.length);
  if (tracked) return tracked;
  const c = info(tx, collection);
  const payload = isPayload(input) ? input : {};
  const resolved = resolveM2O(tx, c, payload, false);
  if (isFailure(resolved)) return resolved;
  const changed = columns(c).filter((f) => f !== c.primary && Object.hasOwn(resolved, f));
  // One UPDATE for all keys: Postgres parses each bound value for its column (the set values, then
  // the keys) before any row is read, so text a typed column refuses fails the statement whatever the keys.
  if (tx.dialect.typedColumns && changed.length > 0) {
    const refused = storedRow(tx, c, {}, changed, resolved) ?? refusedKey(tx, c, keys);
    if (refused instanceof Silent && !refused.error) return inUpdate(refused, c, changed, keys.length);
  }
  for (const sent of keys) {
    const key = normalizeKey(tx.schema, collection, sent);
    const current = key === undefined ? undefined : getItem(tx.data.collections[collection]!, key);
    if (key === undefined || !current || changed.length === 0) continue;
    const row: Record<string, JsonValue> = { ...current };
    const invalidValue = storedRow(tx, c, row, changed, resolved);
    if (invalidValue) return tx.dialect.typedColumns ? inUpdate(invalidValue, c, changed, keys.length) : invalidValue;
    const violation = uniqueViolation(tx, c, row, key, changed) ?? foreignKeyViolation(tx, c, row, changed, resolved);
    if (violation) return violation;
    writeRow(tx, collection, key, row);
  }
  for (const sent of keys) {
    const key = normalizeKey(tx.schema, collection, sent);
    if (key === undefined) continue;
    const nested = processO2M(tx, c, payload, key);
    if (isFailure(nested)) return nested;
  }
  // One revision per key, whether or not its row exists.
  const revision = keys.length > 0 ? revisionFailure(c, payload, true) : undefined;
  if (revision) return revision;
  emit(tx, { collection, action: 'update', keys: [...keys] });
};

/**
 * Removes one row and applies each referencing relation's ON DELETE, as SQLite does it: CASCADE
 * removes, SET NULL / SET DEFAULT rewrite, NO ACTION / RESTRICT refuse. These rows emit no events.
 * Directus does not translate database errors on delete: a refusal gets no reply at all.
 */
const removeRow = (tx: Tx, collection: string, key: PrimaryKey): Failure | undefined => {
  for (const relation of referencingRelations(tx.schema, collection)) {
    const many = tx.schema.collections[relation.manyCollection];
    if (!many) continue;
    for (const child of relatedChildren(tx.schema, tx.data, relation, key)) {
      const childKey = child[many.primary] as PrimaryKey;
      switch (relation.onDelete) {
        case 'CASCADE': {
          if (!hasItem(tx.data.collections[many.collection]!, childKey)) break;
          const failed = removeRow(tx, many.collection, childKey);
          if (failed) return failed;
          break;
        }
        case 'SET NULL':
        case 'SET DEFAULT': {
          const value = relation.onDelete === 'SET NULL' ? null : many.fields[relation.manyField]!.defaultValue;
          if (value === null && !many.fields[relation.manyField]!.nullable) return new Silent('ON DELETE SET NULL on a NOT NULL column');
          const current = getItem(tx.data.collections[many.collection]!, childKey);
          if (current) {
            writeRow(tx, many.collection, childKey, produce(current, (draft) => {
              draft[relation.manyField] = value;
            }));
          }
          break;
        }
        default:
          return new Silent(`"${many.collection}.${relation.manyField}" still references "${collection}" ${JSON.stringify(key)}`);
      }
    }
  }
  writeRow(tx, collection, key, undefined);
  return undefined;
};

/** deleteMany: removes the rows that exist; one `delete` event carrying the keys as given. */
export const deleteMany = (tx: Tx, collection: string, keys: readonly PrimaryKey[], sent: readonly JsonValue[]): void | Failure => {
  const tracked = trackMutations(tx, keys.length);
  if (tracked) return tracked;
  for (const key of keys) {
    if (!hasItem(tx.data.collections[collection]!, key)) continue;
    const failed = removeRow(tx, collection, key);
    if (failed) return failed;
  }
  emit(tx, { collection, action: 'delete', keys: [...sent] });
};

const writes: ItemWrites = { createOne, updateMany, deleteMany };

/** A transaction over `state`, made by `who` at `now`. */
export const beginTx = (state: State, who: Accountability, now: number): Tx =>
  ({ schema: state.schema, data: state.data, seed: state.seed, events: [], who, now, writes, mutations: 0, maxMutations: state.config.maxBatchMutation, dialect: DIALECTS[state.config.dialect] ?? SQLITE, nested: [] });
