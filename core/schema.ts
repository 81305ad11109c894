// Collections, fields and relations: read from a Directus schema snapshot, or inferred from the data.
import { m2oOf, o2mOf } from './relations.ts';
import type { Collection, Field, FieldType, JsonValue, Relation, Schema } from './types.ts';

/** The column length Directus gives a field type unless told otherwise (varchar(255), a uuid's char(36)). */
export const defaultMaxLength = (type: FieldType): number | undefined =>
  type === 'string' || type === 'hash' ? 255 : type === 'uuid' ? 36 : undefined;

export const isSystemCollection = (name: string): boolean => name.startsWith('directus_');

/**
 * A collection by a name from a client. Own members only: `__proto__`, `constructor` or `toString`
 * are unknown collections like any other name, not Object.prototype's members.
 */
export const collectionOf = (schema: Schema, name: string): Collection | undefined =>
  Object.hasOwn(schema.collections, name) ? schema.collections[name] : undefined;

const FIELD_TYPES: ReadonlySet<string> = new Set([
  'string', 'text', 'integer', 'bigInteger', 'float', 'decimal', 'boolean', 'json', 'csv', 'uuid', 'hash',
  'timestamp', 'dateTime', 'date', 'time', 'alias', 'geometry', 'binary',
]);

type Loose = Record<string, any>;

const asObject = (value: unknown): Loose | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : null;

/** Parses a snapshot default (`'draft'`, `0`, `'CURRENT_TIMESTAMP'`…) into the value a new row gets. */
const snapshotDefault = (raw: unknown, type: FieldType): JsonValue => {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' && /^(CURRENT_TIMESTAMP|now\(\))$/i.test(raw)) return null;
  if ((type === 'integer' || type === 'float' || type === 'decimal') && typeof raw === 'string') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  }
  if (type === 'boolean' && typeof raw !== 'boolean') return raw === 'true' || raw === 1 || raw === '1';
  return raw as JsonValue;
};

/**
 * Builds the schema from a snapshot (`GET /schema/snapshot`, its `data` member). Collections without
 * a table (folders) are skipped; system collections are never part of it.
 */
export const schemaFromSnapshot = (snapshot: unknown): Schema => {
  const snap = asObject(snapshot) ?? {};
  const collections: Record<string, Collection> = {};
  const rawCollections: Loose[] = Array.isArray(snap['collections']) ? snap['collections'] : [];
  const rawFields: Loose[] = Array.isArray(snap['fields']) ? snap['fields'] : [];
  for (const raw of rawCollections) {
    const name = raw?.['collection'];
    if (typeof name !== 'string' || isSystemCollection(name) || asObject(raw['schema']) === null) continue;
    const fields: Record<string, Field> = {};
    const order: string[] = [];
    for (const f of rawFields) {
      if (f?.['collection'] !== name || typeof f['field'] !== 'string') continue;
      const schema = asObject(f['schema']);
      const meta = asObject(f['meta']);
      const type: FieldType = FIELD_TYPES.has(f['type']) ? f['type'] : 'unknown';
      const special: string[] = Array.isArray(meta?.['special']) ? meta['special'].filter((s: unknown) => typeof s === 'string') : [];
      fields[f['field']] = {
        field: f['field'],
        type,
        special,
        nullable: schema ? schema['is_nullable'] !== false : true,
        defaultValue: snapshotDefault(schema?.['default_value'], type),
        primaryKey: schema?.['is_primary_key'] === true,
        autoIncrement: schema?.['has_auto_increment'] === true,
        unique: schema?.['is_unique'] === true || schema?.['is_primary_key'] === true,
        alias: type === 'alias' || schema === null,
        searchable: meta?.['searchable'] !== false,
        ...(typeof schema?.['max_length'] === 'number' && schema['max_length'] !== defaultMaxLength(type) ? { maxLength: schema['max_length'] } : {}),
      };
      order.push(f['field']);
    }
    const primary = order.find((f) => fields[f]!.primaryKey) ?? (fields['id'] ? 'id' : order[0] ?? 'id');
    const meta = asObject(raw['meta']);
    collections[name] = {
      collection: name,
      primary,
      singleton: meta?.['singleton'] === true,
      sortField: typeof meta?.['sort_field'] === 'string' ? meta['sort_field'] : null,
      fields,
      fieldOrder: order,
    };
  }
  const relations: Relation[] = [];
  for (const r of Array.isArray(snap['relations']) ? (snap['relations'] as Loose[]) : []) {
    const rel = relationFromSnapshot(r);
    if (rel) relations.push(rel);
  }
  return { collections, relations };
};

/** `defaultOnDelete`: what a relation without `schema.on_delete` gets. */
const relationFromSnapshot = (r: Loose, defaultOnDelete = 'NO ACTION'): Relation | null => {
  const meta = asObject(r?.['meta']) ?? {};
  const schema = asObject(r?.['schema']) ?? {};
  if (typeof r?.['collection'] !== 'string' || typeof r['field'] !== 'string') return null;
  const onDelete = String(schema['on_delete'] ?? defaultOnDelete).toUpperCase();
  return {
    manyCollection: r['collection'],
    manyField: r['field'],
    oneCollection: typeof r['related_collection'] === 'string' ? r['related_collection'] : null,
    oneField: typeof meta['one_field'] === 'string' ? meta['one_field'] : null,
    junctionField: typeof meta['junction_field'] === 'string' ? meta['junction_field'] : null,
    oneAllowedCollections: Array.isArray(meta['one_allowed_collections']) ? meta['one_allowed_collections'] : null,
    oneCollectionField: typeof meta['one_collection_field'] === 'string' ? meta['one_collection_field'] : null,
    sortField: typeof meta['sort_field'] === 'string' ? meta['sort_field'] : null,
    onDelete: (['SET NULL', 'CASCADE', 'NO ACTION', 'RESTRICT', 'SET DEFAULT'].includes(onDelete)
      ? onDelete
      : 'NO ACTION') as Relation['onDelete'],
    oneDeselectAction: meta['one_deselect_action'] === 'delete' ? 'delete' : 'nullify',
  };
};

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const inferType = (value: JsonValue | undefined): FieldType => {
  if (value === null || value === undefined) return 'unknown';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (typeof value === 'string') {
    if (ISO_DATE_TIME.test(value)) return 'timestamp';
    if (ISO_DATE.test(value)) return 'date';
    if (UUID.test(value)) return 'uuid';
    return value.length > 255 ? 'text' : 'string';
  }
  return 'json';
};

/** Merges two inferred types: integer + float is float; any other disagreement is plain json/string. */
const mergeType = (a: FieldType, b: FieldType): FieldType => {
  if (a === 'unknown') return b;
  if (b === 'unknown' || a === b) return a;
  if ((a === 'integer' && b === 'float') || (a === 'float' && b === 'integer')) return 'float';
  if ((a === 'string' || a === 'text') && (b === 'string' || b === 'text')) return 'text';
  return a === 'json' || b === 'json' ? 'json' : 'string';
};

/**
 * Infers a schema from a json-server style data file: each array is a collection, each object a
 * singleton. The primary key is `id` if present (else the first key); an integer `id` auto-increments.
 * Field types come from the values (see README: "Schema inference"). Relations are never guessed: they
 * are read from the file's `$schema.relations`, snapshot-style (see `declaredRelations`).
 */
export const inferSchema = (data: Readonly<Record<string, unknown>>): Schema => {
  const collections: Record<string, Collection> = {};
  for (const [name, value] of Object.entries(data)) {
    if (isSystemCollection(name) || name.startsWith('$')) continue;
    const rows: Loose[] = Array.isArray(value)
      ? value.filter((v) => asObject(v) !== null)
      : asObject(value) !== null ? [value as Loose] : [];
    if (!Array.isArray(value) && asObject(value) === null) continue;
    const types = new Map<string, FieldType>();
    for (const row of rows) {
      for (const [key, v] of Object.entries(row)) types.set(key, mergeType(types.get(key) ?? 'unknown', inferType(v)));
    }
    if (!types.has('id') && rows.length === 0) types.set('id', 'integer');
    const order = [...types.keys()];
    const primary = types.has('id') ? 'id' : order[0]!;
    const fields: Record<string, Field> = {};
    for (const name of order) {
      const inferred = types.get(name)!;
      const type: FieldType = inferred === 'unknown' ? (name === primary ? 'integer' : 'string') : inferred;
      const isPk = name === primary;
      fields[name] = {
        field: name,
        type,
        special: type === 'json' ? ['cast-json'] : [],
        nullable: !isPk,
        defaultValue: null,
        primaryKey: isPk,
        autoIncrement: isPk && type === 'integer',
        unique: isPk,
        alias: false,
        searchable: true,
      };
    }
    // The primary key comes first, as Directus lists it.
    const fieldOrder = [primary, ...order.filter((f) => f !== primary)];
    collections[name] = {
      collection: name,
      primary,
      singleton: !Array.isArray(value),
      sortField: null,
      fields,
      fieldOrder,
    };
  }
  const declared = data['$schema'];
  const relations = declaredRelations(declared, collections);
  return declared === undefined ? { collections, relations } : { collections, relations, declared: declared as JsonValue };
};

const plainField = (field: string, type: FieldType, special: string[] = []): Field => ({
  field, type, special, nullable: true, defaultValue: null, primaryKey: false, autoIncrement: false,
  unique: false, alias: type === 'alias', searchable: type !== 'alias',
});

/** Adds `field` to `collection` (in `collections`) unless the data already gave it one. */
const ensureField = (collections: Record<string, Collection>, collection: string, field: Field): void => {
  const c = collections[collection]!;
  if (Object.hasOwn(c.fields, field.field)) return;
  collections[collection] = { ...c, fields: { ...c.fields, [field.field]: field }, fieldOrder: [...c.fieldOrder, field.field] };
};

/**
 * Relations declared in a data file's `$schema: { relations: [...] }`, each written like a snapshot
 * relation (`collection`, `field`, `related_collection`, `meta.one_field`, `meta.junction_field`,
 * `meta.one_allowed_collections`, `meta.one_collection_field`, `meta.sort_field`,
 * `meta.one_deselect_action`, `schema.on_delete` (default `SET NULL`)). Relations naming a collection the file does not
 * have are skipped; fields the rows never mention are added (foreign keys typed like the related
 * key, o2m aliases as alias fields).
 */
const declaredRelations = (declared: unknown, collections: Record<string, Collection>): Relation[] => {
  const list = asObject(declared)?.['relations'];
  if (!Array.isArray(list)) return [];
  const relations: Relation[] = [];
  for (const raw of list as Loose[]) {
    // Directus creates a relation's foreign key with ON DELETE SET NULL unless told otherwise.
    const r = relationFromSnapshot(raw, 'SET NULL');
    if (!r || !Object.hasOwn(collections, r.manyCollection)) continue;
    if (r.oneCollection !== null && !Object.hasOwn(collections, r.oneCollection)) continue;
    if (r.oneCollection !== null) {
      const one = collections[r.oneCollection]!;
      const keyType = one.fields[one.primary]!.type === 'integer' ? 'integer' : 'string';
      ensureField(collections, r.manyCollection, plainField(r.manyField, keyType, ['m2o']));
      if (r.oneField !== null) ensureField(collections, r.oneCollection, plainField(r.oneField, 'alias', ['o2m']));
    } else {
      ensureField(collections, r.manyCollection, plainField(r.manyField, 'string'));
      if (r.oneCollectionField !== null) ensureField(collections, r.manyCollection, plainField(r.oneCollectionField, 'string'));
    }
    if (r.sortField !== null) ensureField(collections, r.manyCollection, plainField(r.sortField, 'integer'));
    relations.push(r);
  }
  return relations;
};

// ------------------------------------------------------------------ relation lookups

/** The m2o relation stored in `collection.field`, if that field is a foreign key. */
export const m2oRelation = (schema: Schema, collection: string, field: string): Relation | undefined =>
  m2oOf(schema, collection, field);

/** The relation behind the o2m alias `collection.field`, if it is one. */
export const o2mRelation = (schema: Schema, collection: string, field: string): Relation | undefined =>
  o2mOf(schema, collection, field);
