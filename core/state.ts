// Building the initial state from a data file (and an optional schema snapshot), and turning the
// data back into a plain db.json value.
import { produce } from './draft.ts';
import { DirectusError } from './errors.ts';
import { inferSchema, isSystemCollection, schemaFromSnapshot } from './schema.ts';
import { snapshotData } from './schema-snapshot.ts';
import { emptyStore, storeFromRows, storeRows } from './store.ts';
import type { Collection, CollectionStore, Config, Data, Item, JsonValue, Schema, State } from './types.ts';
import { DIALECTS, SQLITE, type Dialect } from './dialect.ts';
import { float4, withUuidForeignKeys } from './postgres-column.ts';
import { isJsonObject as isObject } from './json.ts';
import { isOpen } from './access/permissions.ts';

export const defaultConfig: Config = {
  authMode: 'handshake',
  authTimeout: 10_000,
  heartbeatPeriod: 30_000,
  queryLimitDefault: 100,
  queryLimitMax: Infinity,
  maxRelationalDepth: 10,
  maxBatchMutation: Infinity,
  maxQueryCost: 2_000_000,
  maxPayloadSize: 1024 * 1024,
  accessTokenTtl: 15 * 60_000,
  refreshTokenTtl: 7 * 24 * 60 * 60_000,
  // Known to anyone who reads this line: fine for a test double, never for anything real.
  secret: 'standin-development-secret',
  dialect: 'sqlite',
};

export interface StateOptions {
  /** The data file's content: `{ collection: [items], singleton: {…}, directus_users: [...] }`. */
  readonly data: unknown;
  /** A Directus schema snapshot (`GET /schema/snapshot`, whole or its `data`); inferred from the data when absent. */
  readonly schema?: unknown;
  /**
   * Without `authMode`, open data (no `directus_*` records, see `isOpen`) is served in `public` mode,
   * since no client could ever authenticate; any other data in `handshake` mode, as Directus.
   */
  readonly config?: Partial<Config>;
  /** Seed for new UUIDs and tokens (the adapter passes real entropy; tests pass a constant). */
  readonly seed?: number;
}

const describes = (collections: Schema['collections'], name: string | null): boolean => name !== null && Object.hasOwn(collections, name);

/** Merges snapshot collections with collections inferred from data keys the snapshot lacks. */
const resolveSchema = (data: Record<string, unknown>, snapshot: unknown): Schema => {
  const inferred = inferSchema(data);
  const source = snapshotData(snapshot);
  if (source === undefined) return inferred;
  const fromSnapshot = schemaFromSnapshot(source);
  // Relations declared in the data file only join collections the snapshot does not describe.
  const described = fromSnapshot.collections;
  const declared = inferred.relations.filter((r) => !describes(described, r.manyCollection) && !describes(described, r.oneCollection));
  return {
    collections: { ...inferred.collections, ...fromSnapshot.collections },
    relations: [...fromSnapshot.relations, ...declared],
    snapshot: source,
    ...(inferred.declared !== undefined ? { declared: inferred.declared } : {}),
  };
};

/** The rows of one data-file entry (an array of items, or a singleton object). */
const rowsOf = (value: unknown): Item[] =>
  Array.isArray(value) ? (value.filter(isObject) as Item[]) : isObject(value) ? [value as Item] : [];

/**
 * A data-file row as the dialect's driver returns it: on Postgres a bigInteger is text and a float a
 * float4 (what Directus would read back after loading the same file).
 */
const loadedRow = (info: Collection, row: Item, dialect: Dialect): Item => {
  if (!dialect.typedColumns) return row;
  let out: Record<string, JsonValue> | undefined;
  for (const [name, value] of Object.entries(row)) {
    const type = Object.hasOwn(info.fields, name) ? info.fields[name]!.type : undefined;
    const loaded = typeof value !== 'number' ? value
      : type === 'bigInteger' && Number.isInteger(value) ? BigInt(value).toString()
      : type === 'float' ? float4(value) : value;
    if (loaded !== value) (out ??= { ...row })[name] = loaded;
  }
  return out ?? row;
};

/** Loads data into stores. Fails with a message naming the problem if the data is not a json-server style object. */
export const dataFromJson = (raw: unknown, schema: Schema, dialect: Dialect = SQLITE): Data | DirectusError => {
  if (!isObject(raw)) return new DirectusError('INVALID_PAYLOAD', 'the data must be a JSON object with one key per collection');
  const collections: Record<string, CollectionStore> = {};
  const system: Record<string, readonly Item[]> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (isSystemCollection(name)) {
      if (!Array.isArray(value)) return new DirectusError('INVALID_PAYLOAD', `"${name}" must be an array of records`);
      system[name] = rowsOf(value);
    }
  }
  for (const [name, info] of Object.entries(schema.collections)) {
    const value = raw[name];
    if (value !== undefined && !Array.isArray(value) && !isObject(value)) {
      return new DirectusError('INVALID_PAYLOAD', `collection "${name}" must be an array of items or an object`);
    }
    collections[name] = value === undefined ? emptyStore : storeFromRows(rowsOf(value).map((row) => loadedRow(info, row, dialect)), info.primary);
  }
  return { collections, system };
};

export const createState = (options: StateOptions): State | DirectusError => {
  const raw = options.data;
  if (!isObject(raw)) return new DirectusError('INVALID_PAYLOAD', 'the data must be a JSON object with one key per collection');
  const dialect = DIALECTS[options.config?.dialect ?? 'sqlite'] ?? SQLITE;
  const resolved = resolveSchema(raw, options.schema);
  const schema = dialect.uuidForeignKeys ? withUuidForeignKeys(resolved) : resolved;
  const data = dataFromJson(raw, schema, dialect);
  if (data instanceof DirectusError) return data;
  const authMode = options.config?.authMode ?? (isOpen(data) ? 'public' : defaultConfig.authMode);
  return {
    config: produce(defaultConfig, (draft) => {
      Object.assign(draft, options.config);
      draft.authMode = authMode;
    }),
    schema,
    data,
    connections: {},
    sessions: {},
    seed: (options.seed ?? 0x5eed) >>> 0,
    heartbeatScheduled: false,
  };
};

/** The data as a plain db.json value: collections as arrays (a singleton as its object), system records as is. */
export const dataToJson = (schema: Schema, data: Data): Record<string, JsonValue> => {
  const out: Record<string, JsonValue> = {};
  for (const [name, store] of Object.entries(data.collections)) {
    const info = schema.collections[name];
    if (!info) continue;
    const rows = storeRows(store, info.primary);
    out[name] = info.singleton && rows.length === 1 ? rows[0]! : rows;
  }
  for (const [name, rows] of Object.entries(data.system)) out[name] = rows as JsonValue[];
  // Declared relations live in the data file; saving keeps them.
  if (schema.declared !== undefined) out['$schema'] = schema.declared;
  return out;
};
