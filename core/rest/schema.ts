// The routes that describe the schema: `GET /schema/snapshot`, `/collections`, `/fields` and
// `/relations`, answered from the schema's snapshot with Directus 12.4's checks, in its order: a named
// collection must exist (`/fields/:c`, `/relations/:c`), the caller must be able to read the system collection
// behind the route (admins and app users may), and what they list is trimmed to the collections and
// fields the caller may read.
import { allowedFields } from '../access/permissions.ts';
import { DirectusError, forbidden, forbiddenCollection } from '../errors.ts';
import { snapshotJson, snapshotOf, withMetaId } from '../schema-snapshot.ts';
import type { JsonObject } from '../types.ts';
import { answer, type RestContext, type RestOutcome } from './context.ts';
import { failure, ok, type HttpReply } from './respond.ts';

/** Directus's wording when a read permission is missing (`validateAccess`). */
const forbiddenRead = (collection: string) => {
  const message = `You don't have permission to perform "read" for collection "${collection}" or it does not exist.`;
  return new DirectusError('FORBIDDEN', message);
};

const readable = (ctx: RestContext, collection: string) =>
  allowedFields(ctx.state.data, ctx.accountability, collection, 'read');

/** Admins and app users read the schema's system collections (Directus grants app users that). */
const mayReadSystem = (ctx: RestContext, collection: string): boolean =>
  ctx.accountability.admin || ctx.accountability.app || readable(ctx, collection) !== null;

const fieldVisible = (ctx: RestContext, collection: string, field: string): boolean => {
  const fields = readable(ctx, collection);
  return fields === '*' || (fields !== null && fields.has(field));
};

/** A relation is listed when both ends, and the fields on each, may be read (`filterForbidden`). */
const relationVisible = (ctx: RestContext, relation: JsonObject): boolean => {
  if (ctx.accountability.admin) return true;
  const collection = String(relation['collection']);
  const related = relation['related_collection'];
  const meta = (relation['meta'] ?? {}) as JsonObject;
  const allowed = Array.isArray(meta['one_allowed_collections']) ? meta['one_allowed_collections'].map(String) : [];
  const oneField = meta['one_field'];
  return fieldVisible(ctx, collection, String(relation['field'])) &&
    (typeof related !== 'string' || readable(ctx, related) !== null) &&
    allowed.every((c) => readable(ctx, c) !== null) &&
    (typeof related !== 'string' || typeof oneField !== 'string' || fieldVisible(ctx, related, oneField));
};

const snapshot = (ctx: RestContext) => snapshotOf(ctx.state.schema);
const exists = (ctx: RestContext, collection: string): boolean => Object.hasOwn(ctx.state.schema.collections, collection);
const inCollection = (collection: string) => (record: JsonObject): boolean => record['collection'] === collection;
const reply = (ctx: RestContext, r: HttpReply): RestOutcome => answer(ctx, r);

/**
 * Directus lists what its database describes first (columns, foreign keys), then what only its
 * metadata does (alias fields, m2a relations); records carry a row id, which standin numbers.
 */
const described = (r: JsonObject): boolean => r['schema'] !== null && r['schema'] !== undefined;
const listed = (records: readonly JsonObject[]): JsonObject[] =>
  [...records.filter(described), ...records.filter((r) => !described(r))].map((r, i) => withMetaId(r, i + 1));

export const schemaSnapshot = (ctx: RestContext): RestOutcome =>
  reply(ctx, ctx.accountability.admin ? ok({ data: snapshotJson(snapshot(ctx)) }) : failure(forbidden()));

export const readCollections = (ctx: RestContext, [collection]: readonly string[]): RestOutcome => {
  const { admin } = ctx.accountability;
  // One collection is checked against its own read permission before anything is listed.
  if (collection !== undefined && !admin && readable(ctx, collection) === null) return reply(ctx, failure(forbiddenRead(collection)));
  if (!mayReadSystem(ctx, 'directus_collections')) return reply(ctx, failure(forbiddenCollection('directus_collections')));
  const visible = snapshot(ctx).collections.filter((c) => admin || readable(ctx, String(c['collection'])) !== null);
  if (collection === undefined) return reply(ctx, ok({ data: visible }));
  const found = visible.find(inCollection(collection));
  return reply(ctx, found ? ok({ data: found }) : failure(forbidden()));
};

export const readFields = (ctx: RestContext, [collection, field]: readonly string[]): RestOutcome => {
  const { admin } = ctx.accountability;
  if (collection !== undefined && !exists(ctx, collection)) return reply(ctx, failure(forbiddenCollection(collection)));
  const fields = listed(snapshot(ctx).fields);
  if (field !== undefined) {
    if (!admin && readable(ctx, collection!) === null) return reply(ctx, failure(forbiddenRead(collection!)));
    const found = fields.find((f) => f['collection'] === collection && f['field'] === field);
    return reply(ctx, found && (admin || fieldVisible(ctx, collection!, field)) ? ok({ data: found }) : failure(forbidden()));
  }
  if (!mayReadSystem(ctx, 'directus_fields')) return reply(ctx, failure(forbiddenRead('directus_fields')));
  if (collection !== undefined && !admin && readable(ctx, collection) === null) return reply(ctx, failure(forbidden()));
  const visible = fields.filter((f) => (collection === undefined || f['collection'] === collection) &&
    (admin || fieldVisible(ctx, String(f['collection']), String(f['field']))));
  return reply(ctx, ok({ data: visible }));
};

export const readRelations = (ctx: RestContext, [collection, field]: readonly string[]): RestOutcome => {
  if (collection !== undefined && !exists(ctx, collection)) return reply(ctx, failure(forbiddenCollection(collection)));
  if (!mayReadSystem(ctx, 'directus_relations')) return reply(ctx, failure(forbiddenRead('directus_relations')));
  const relations = listed(snapshot(ctx).relations).filter((r) => relationVisible(ctx, r));
  if (field === undefined) {
    return reply(ctx, ok({ data: collection === undefined ? relations : relations.filter(inCollection(collection)) }));
  }
  const found = relations.find((r) => r['collection'] === collection && r['field'] === field);
  return reply(ctx, found ? ok({ data: found }) : failure(forbidden()));
};
