// The read calls of Directus's ItemsService that replies and subscription payloads are built from.
import { DirectusError, forbidden, isFailure, type Failure } from '../errors.ts';
import { parseFilter } from '../query/filter/parse.ts';
import type { QueryContext } from '../query/shared/context.ts';
import { readMeta, readRows, type Meta } from '../query/read/pipeline.ts';
import type { Query } from '../query/shared/sanitize.ts';
import { normalizeKey, validKey, validKeys } from '../keys.ts';
import type { JsonValue, PrimaryKey } from '../types.ts';

export interface ItemsReply {
  readonly data: JsonValue;
  readonly meta?: Meta;
}

/** Adds `meta` when the query asks for it (Directus computes it for every read form). */
export const withMeta = (ctx: QueryContext, collection: string, reply: ItemsReply, query: Query): ItemsReply | Failure => {
  if (!query.meta) return reply;
  const meta = readMeta(ctx, collection, query);
  return isFailure(meta) ? meta : { ...reply, meta };
};

/** readByQuery: an array, limited to `defaultLimit` unless the query says otherwise. */
export const readByQuery = (ctx: QueryContext, collection: string, query: Query, defaultLimit: number): ItemsReply | Failure => {
  const result = readRows(ctx, collection, query, { defaultLimit });
  return isFailure(result) ? result : withMeta(ctx, collection, { data: result.data }, query);
};

/**
 * readOne: the row must exist, pass the query's filter and fall inside its page, else FORBIDDEN (never null). `meta` as
 * the query asks, unless `withoutMeta` (a create reads its row back without it).
 */
export const readOne = (
  ctx: QueryContext, collection: string, key: JsonValue, query: Query, defaultLimit: number, withoutMeta = false,
): ItemsReply | Failure => {
  const normalized = validKey(ctx.schema, collection, key) ? normalizeKey(ctx.schema, collection, key) : undefined;
  if (normalized === undefined) return forbidden();
  // Directus reads one item as readByQuery with a key filter: the query's limit, offset and page apply.
  const result = readRows(ctx, collection, withKeyFilter(ctx, collection, query), { keys: [normalized], defaultLimit });
  if (isFailure(result)) return result;
  if (result.data.length === 0) return forbidden();
  const reply = { data: result.data[0]! };
  return withoutMeta ? reply : withMeta(ctx, collection, reply, query);
};

/**
 * The query readOne runs: Directus sets `filter[primary] = { _eq: key }` on the parsed filter, which
 * replaces a filter that is a single condition on the primary key (several keys are an `_and` by
 * then, and keep theirs). The key itself is matched by readRows.
 */
const withKeyFilter = (ctx: QueryContext, collection: string, query: Query): Query => {
  if (query.filter === undefined) return query;
  const parsed = parseFilter(query.filter, ctx);
  if (parsed === null || parsed instanceof DirectusError || parsed.t !== 'field' || parsed.key !== ctx.schema.collections[collection]!.primary) return query;
  const { filter: _replaced, ...rest } = query;
  return rest;
};

/** readMany's `limit`: the number of keys unless the query sets one (`0` counts as none, as in Directus). */
export const readManyLimit = (query: Query, keys: number, defaultLimit: number): number =>
  keys > 0 && !query.limit ? keys : query.limit ?? defaultLimit;

/** readMany: rows by key in primary-key order; `limit` defaults to the number of keys. */
export const readMany = (ctx: QueryContext, collection: string, keys: readonly JsonValue[], query: Query, defaultLimit: number): ItemsReply | Failure => {
  if (!validKeys(ctx.schema, collection, keys)) return forbidden();
  const normalized = keys.map((k) => normalizeKey(ctx.schema, collection, k)).filter((k): k is PrimaryKey => k !== undefined);
  const result = readRows(ctx, collection, query, { keys: normalized, defaultLimit, paging: { limit: readManyLimit(query, keys.length, defaultLimit) } });
  return isFailure(result) ? result : withMeta(ctx, collection, { data: result.data }, query);
};

/** readSingleton: the first row, or an object of defaults (primary key null) when there is none. */
export const readSingleton = (ctx: QueryContext, collection: string, query: Query, defaultLimit: number): ItemsReply | Failure => {
  const result = readRows(ctx, collection, query, { defaultLimit, paging: { limit: 1 } });
  if (isFailure(result)) return result;
  const info = ctx.schema.collections[collection]!;
  let row = result.data[0];
  if (row === undefined) {
    // Directus answers the primary key as null and every field that has a default; with an explicit
    // field list (no `*`) only the fields named in it.
    const named = query.fields && !query.fields.includes('*') ? new Set(query.fields) : undefined;
    const defaults: Record<string, JsonValue> = {};
    for (const f of info.fieldOrder) {
      if (named && !named.has(f)) continue;
      if (f === info.primary) defaults[f] = null;
      else if (info.fields[f]!.defaultValue !== null && info.fields[f]!.defaultValue !== undefined) defaults[f] = info.fields[f]!.defaultValue;
    }
    row = defaults;
  }
  return withMeta(ctx, collection, { data: row }, query);
};
