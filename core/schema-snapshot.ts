// The schema as Directus describes it: a snapshot (`GET /schema/snapshot`) and the collection, field
// and relation records of `/collections`, `/fields` and `/relations`. A schema loaded from a snapshot
// answers with that snapshot's own records (every `meta` a Directus keeps, interfaces included); a
// collection inferred from a data file gets the records Directus writes for a field created with only
// its type (SQLite's column types).
import { isJsonObject } from './json.ts';
import type { Collection, Field, FieldType, JsonObject, JsonValue, Relation, Schema } from './types.ts';

/** A Directus schema snapshot (`data` of `GET /schema/snapshot`). */
export interface SchemaSnapshot {
  readonly version: number;
  readonly directus: string;
  readonly vendor: string;
  readonly collections: readonly JsonObject[];
  readonly fields: readonly JsonObject[];
  readonly systemFields: readonly JsonObject[];
  readonly relations: readonly JsonObject[];
}

/** The Directus version standin answers for (the one its conformance corpus was recorded from). */
export const DIRECTUS_VERSION = '12.4.0';

const entries = (raw: JsonObject | undefined, key: string): readonly JsonObject[] => {
  const list = raw?.[key];
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
};

/** SQLite column types Directus creates per field type (`schema.data_type`, `max_length`). */
const COLUMN: Readonly<Record<FieldType, readonly [string, number | null] | null>> = {
  string: ['varchar', 255], text: ['text', null], integer: ['integer', null], bigInteger: ['bigint', null],
  float: ['float', null], decimal: ['numeric', null], boolean: ['boolean', null], json: ['json', null],
  csv: ['text', null], uuid: ['char', 36], hash: ['varchar', 255], timestamp: ['datetime', null],
  dateTime: ['datetime', null], date: ['date', null], time: ['time', null], geometry: ['text', null],
  binary: ['blob', null], alias: null, unknown: ['text', null],
};

const fieldMeta = (collection: string, field: Field, sort: number): JsonObject => ({
  collection: collection, conditions: null, display: null, display_options: null, field: field.field, group: null,
  hidden: false, interface: null, note: null, options: null, readonly: false, required: false,
  searchable: field.searchable, sort, special: field.special.length > 0 ? [...field.special] : null, translations: null,
  validation: null, validation_message: null, width: 'full',
});

const fieldRecord = (c: Collection, field: Field, sort: number, schema: Schema): JsonObject => {
  const column = COLUMN[field.type];
  const relation = schema.relations.find((r) => r.manyCollection === c.collection && r.manyField === field.field);
  const target = relation?.oneCollection ? schema.collections[relation.oneCollection] : undefined;
  return {
    collection: c.collection,
    field: field.field,
    type: field.type === 'unknown' ? 'string' : field.type,
    meta: fieldMeta(c.collection, field, sort),
    schema: column === null ? null : {
      name: field.field, table: c.collection, data_type: column[0], default_value: field.defaultValue,
      max_length: column[1], numeric_precision: field.type === 'decimal' ? 10 : null,
      numeric_scale: field.type === 'decimal' ? 5 : null, is_nullable: field.nullable, is_unique: field.unique && !field.primaryKey,
      is_indexed: false, is_primary_key: field.primaryKey, is_generated: false, generation_expression: null,
      has_auto_increment: field.autoIncrement,
      foreign_key_table: target?.collection ?? null, foreign_key_column: target?.primary ?? null,
    },
  };
};

const collectionRecord = (c: Collection): JsonObject => ({
  collection: c.collection,
  meta: {
    accountability: 'all', archive_app_filter: true, archive_field: null, archive_value: null,
    autosave_revision_interval: null, collapse: 'open', collection: c.collection, color: null, display_template: null,
    group: null, hidden: false, icon: null, item_duplication_fields: null, note: null, preview_url: null,
    singleton: c.singleton, sort: null, sort_field: c.sortField, status: 'active', translations: null,
    unarchive_value: null, versioning: false,
  },
  schema: { name: c.collection },
});

const relationRecord = (r: Relation, schema: Schema): JsonObject => {
  const one = r.oneCollection === null ? undefined : schema.collections[r.oneCollection];
  return {
    collection: r.manyCollection,
    field: r.manyField,
    related_collection: r.oneCollection,
    meta: {
      junction_field: r.junctionField, many_collection: r.manyCollection, many_field: r.manyField,
      one_allowed_collections: r.oneAllowedCollections === null ? null : [...r.oneAllowedCollections],
      one_collection: r.oneCollection, one_collection_field: r.oneCollectionField,
      one_deselect_action: r.oneDeselectAction, one_field: r.oneField, sort_field: r.sortField,
    },
    schema: one === undefined ? null : {
      table: r.manyCollection, column: r.manyField, foreign_key_table: one.collection, foreign_key_column: one.primary,
      constraint_name: null, on_update: 'NO ACTION', on_delete: r.onDelete,
    },
  };
};

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byCollection = (a: JsonObject, b: JsonObject): number => compare(String(a['collection']), String(b['collection']));
const byCollectionAndField = (a: JsonObject, b: JsonObject): number =>
  byCollection(a, b) || compare(String(a['field']), String(b['field']));

/**
 * The snapshot of `schema`: the loaded snapshot's own records for the collections it described, and
 * records made from the schema for the collections and relations inferred from the data file.
 */
export const snapshotOf = (schema: Schema): SchemaSnapshot => {
  const source = schema.snapshot;
  const described = new Set(entries(source, 'collections').map((c) => String(c['collection'])));
  const collections = entries(source, 'collections').filter((c) => Object.hasOwn(schema.collections, String(c['collection'])));
  const fields = entries(source, 'fields').filter((f) => Object.hasOwn(schema.collections, String(f['collection'])));
  const relations = entries(source, 'relations').filter((r) => described.has(String(r['collection'])));
  const made: JsonObject[] = [];
  const madeFields: JsonObject[] = [];
  for (const c of Object.values(schema.collections)) {
    if (described.has(c.collection)) continue;
    made.push(collectionRecord(c));
    c.fieldOrder.forEach((name, i) => madeFields.push(fieldRecord(c, c.fields[name]!, i + 1, schema)));
  }
  const madeRelations = schema.relations
    .filter((r) => !described.has(r.manyCollection))
    .map((r) => relationRecord(r, schema));
  return {
    version: 1,
    directus: typeof source?.['directus'] === 'string' ? source['directus'] : DIRECTUS_VERSION,
    vendor: typeof source?.['vendor'] === 'string' ? source['vendor'] : 'sqlite',
    collections: [...collections, ...made].sort(byCollection),
    // Directus lists a collection's fields in their `meta.sort` order; the sort is stable.
    fields: [...fields, ...madeFields].sort(byCollection),
    systemFields: entries(source, 'systemFields'),
    relations: [...relations, ...madeRelations].sort(byCollectionAndField),
  };
};

/** The snapshot as a JSON value, in Directus's key order. */
export const snapshotJson = (s: SchemaSnapshot): JsonObject => ({
  version: s.version, directus: s.directus, vendor: s.vendor, collections: [...s.collections], fields: [...s.fields],
  systemFields: [...s.systemFields], relations: [...s.relations],
});

/** A snapshot value as given to standin: the reply of `GET /schema/snapshot` or its `data` member. */
export const snapshotData = (raw: unknown): JsonObject | undefined => {
  if (!isJsonObject(raw)) return undefined;
  const inner = raw['data'];
  return isJsonObject(inner) && Array.isArray(inner['collections']) ? inner : raw;
};

/**
 * A snapshot record as `/fields` and `/relations` answer it: with its `meta` row id, which a snapshot
 * leaves out, and `schema: null` where a snapshot omits the member (alias fields).
 */
export const withMetaId = (record: JsonObject, id: number): JsonObject => {
  const meta = record['meta'];
  return {
    ...record,
    meta: isJsonObject(meta) ? ({ id, ...meta } as { [key: string]: JsonValue }) : meta ?? null,
    schema: record['schema'] ?? null,
  };
};
