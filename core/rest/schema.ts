// The routes that describe the schema: `GET /schema/snapshot`, `/collections`, `/fields` and
// `/relations`, answered from the schema's snapshot as Directus 12.4 answers them for user collections.
// Admins see everything; a user with app access sees the collections, fields and relations they may
// read; anyone else gets the FORBIDDEN Directus gives for its system collection.
import { allowedFields } from '../access/permissions.ts';
import { DirectusError, forbidden, forbiddenCollection } from '../errors.ts';
import { snapshotJson, snapshotOf, withMetaId, type SchemaSnapshot } from '../schema-snapshot.ts';
import type { JsonObject } from '../types.ts';
import { answer, type RestContext, type RestOutcome } from './context.ts';
import { failure, ok } from './respond.ts';

/** Directus's wording when a system collection's read permission is missing (`validateAccess`). */
const forbiddenRead = (collection: string) => {
  const message = `You don't have permission to perform "read" for collection "${collection}" or it does not exist.`;
  return new DirectusError('FORBIDDEN', message);
};

const readable = (ctx: RestContext, collection: string) =>
  allowedFields(ctx.state.data, ctx.accountability, collection, 'read');

/** The snapshot trimmed to what the caller may read; undefined when they may read no schema at all. */
const visibleSnapshot = (ctx: RestContext): SchemaSnapshot | undefined => {
  const snapshot = snapshotOf(ctx.state.schema);
  if (ctx.accountability.admin) return snapshot;
  if (!ctx.accountability.app) return undefined;
  const mayRead = (record: JsonObject): boolean => readable(ctx, String(record['collection'])) !== null;
  const fieldVisible = (record: JsonObject): boolean => {
    const fields = readable(ctx, String(record['collection']));
    return fields === '*' || (fields !== null && fields.has(String(record['field'])));
  };
  return {
    ...snapshot,
    collections: snapshot.collections.filter(mayRead),
    fields: snapshot.fields.filter(fieldVisible),
    relations: snapshot.relations.filter(mayRead),
  };
};

export const schemaSnapshot = (ctx: RestContext): RestOutcome =>
  answer(ctx, ctx.accountability.admin ? ok({ data: snapshotJson(snapshotOf(ctx.state.schema)) }) : failure(forbidden()));

const inCollection = (collection: string) => (record: JsonObject): boolean => record['collection'] === collection;
const named = (collection: string, field: string) => (record: JsonObject): boolean =>
  record['collection'] === collection && record['field'] === field;

/** `/fields` and `/relations` records carry a row id: standin numbers them in snapshot order. */
const numbered = (records: readonly JsonObject[]): JsonObject[] => records.map((r, i) => withMetaId(r, i + 1));

export const readCollections = (ctx: RestContext, [collection]: readonly string[]): RestOutcome => {
  const snapshot = visibleSnapshot(ctx);
  if (snapshot === undefined) return answer(ctx, failure(forbiddenCollection('directus_collections')));
  if (collection === undefined) return answer(ctx, ok({ data: [...snapshot.collections] }));
  const found = snapshot.collections.find(inCollection(collection));
  return answer(ctx, found ? ok({ data: found }) : failure(forbidden()));
};

/** `/fields` and `/relations` share their shape: all, one collection's, or one field's record. */
const describe = (system: string, pick: (s: SchemaSnapshot) => readonly JsonObject[]) =>
  (ctx: RestContext, [collection, field]: readonly string[]): RestOutcome => {
    const snapshot = visibleSnapshot(ctx);
    if (snapshot === undefined) return answer(ctx, failure(forbiddenRead(system)));
    const records = numbered(pick(snapshot));
    if (collection === undefined) return answer(ctx, ok({ data: records }));
    if (!snapshot.collections.some(inCollection(collection))) return answer(ctx, failure(forbiddenCollection(collection)));
    if (field === undefined) return answer(ctx, ok({ data: records.filter(inCollection(collection)) }));
    const found = records.find(named(collection, field));
    return answer(ctx, found ? ok({ data: found }) : failure(forbidden()));
  };

/** Directus lists stored fields first (its tables' columns), then the alias fields. */
const storedFirst = (fields: readonly JsonObject[]): JsonObject[] =>
  [...fields.filter((f) => f['schema'] !== null), ...fields.filter((f) => f['schema'] === null)];

export const readFields = describe('directus_fields', (s) => storedFirst(s.fields));
export const readRelations = describe('directus_relations', (s) => s.relations);
