// `/items/:collection[/:pk]` as Directus's items controller runs it, on the same items handler the
// WebSocket `items` message uses: every write goes through `handleItems`, and its reply is read back with
// the request's query as the controller does (a read-back the caller may not see is a 204).
import { DirectusError, forbidden, forbiddenCollection, isFailure, type Failure } from '../errors.ts';
import { handleItems, type ItemsOptions, type ItemsOutcome } from '../items/handler.ts';
import type { ItemsMessage } from '../messages.ts';
import { collectionOf, isSystemCollection } from '../schema.ts';
import type { JsonValue, State } from '../types.ts';
import { answer, isObject, type RestContext, type RestOutcome } from './context.ts';
import { asError, failure, internalError, noContent, ok, routeNotFound, type HttpReply } from './respond.ts';
import { exportFormat, exportReply } from './export.ts';
import { validateBatch } from './validate.ts';

type Key = string | number;
/** An items message without its envelope: the REST route decides action, keys, data and query. */
type Call = { readonly action: ItemsMessage['action']; readonly id?: Key; readonly ids?: readonly Key[]; readonly data?: unknown; readonly query?: unknown };

const run = (ctx: RestContext, state: State, collection: string, call: Call, options?: ItemsOptions): ItemsOutcome =>
  handleItems(state, ctx.accountability, { type: 'items', collection, ...call } as ItemsMessage, ctx.now, options);

/** A PATCH or DELETE body's `query`: sanitized, not validated (Directus's controller skips validateQuery). */
const BODY_QUERY: ItemsOptions = { bodyQuery: true };

const fail = (ctx: RestContext, f: Failure): RestOutcome => answer(ctx, failure(asError(f, ctx.accountability.admin)));

/** A write that failed, with the events it emitted before it failed (an update batch's first items). */
const failedWrite = (ctx: RestContext, write: ItemsOutcome): RestOutcome => ({ ...fail(ctx, write.reply as Failure), events: write.events });

/** The items controller never computes `meta` for one item or a write's read-back. */
const withoutMeta = (query: Readonly<Record<string, unknown>>) => {
  const { meta: _m, ...rest } = query;
  return rest;
};

/** `collectionExists` and the system-collection guard every items route starts with. */
const guard = (ctx: RestContext, collection: string): DirectusError | undefined => {
  if (isSystemCollection(collection)) return forbidden();
  return collectionOf(ctx.state.schema, collection) ? undefined : forbiddenCollection(collection);
};

const singleton = (ctx: RestContext, collection: string) => ctx.state.schema.collections[collection]!.singleton;

/** The respond middleware: the payload, or with `?export=` its data as a file. */
const payload = (ctx: RestContext, collection: string, body: { readonly data: JsonValue | undefined; readonly meta?: JsonValue | undefined }): HttpReply => {
  const format = exportFormat(ctx.query);
  return format ? exportReply(format, body.data, collection, ctx.now) : ok(body);
};

/** After a committed write: read the touched keys back with the request's query. */
const readBack = (ctx: RestContext, collection: string, write: ItemsOutcome, shape: 'one' | 'many'): RestOutcome => {
  // The keys as the write returned them, whatever their JSON type (a batch item's `id: true` reads row 1 back).
  const keys = write.keys as readonly Key[];
  const query = withoutMeta(ctx.query);
  // One item is read back by readOne (its key replaces a filter on the primary key), several by readMany;
  // a key `0` or `""` would read as no id at all, so it is read among `ids`.
  const one = shape === 'one' && Boolean(keys[0]);
  const read = run(ctx, write.state, collection, one ? { action: 'read', id: keys[0], query } : { action: 'read', ids: keys, query });
  if (isFailure(read.reply)) {
    return afterWrite(write, read.reply instanceof DirectusError && read.reply.code === 'FORBIDDEN' ? noContent() : failure(asError(read.reply, ctx.accountability.admin)));
  }
  const data = read.reply.data;
  if (shape === 'many' || one) return afterWrite(write, payload(ctx, collection, { data }));
  const first = Array.isArray(data) ? data[0] : undefined;
  return afterWrite(write, first === undefined ? noContent() : payload(ctx, collection, { data: first }));
};

/** The write's state and events, with the reply its read-back gave. */
const afterWrite = (write: ItemsOutcome, reply: RestOutcome['reply']): RestOutcome => ({ state: write.state, reply, events: write.events });

const written = (ctx: RestContext, collection: string, write: ItemsOutcome, shape: 'one' | 'many'): RestOutcome =>
  write.keys === undefined ? failedWrite(ctx, write) : readBack(ctx, collection, write, shape);

const readReply = (ctx: RestContext, collection: string, outcome: ItemsOutcome): RestOutcome =>
  isFailure(outcome.reply) ? fail(ctx, outcome.reply) : answer(ctx, payload(ctx, collection, { meta: outcome.reply.meta as JsonValue | undefined, data: outcome.reply.data }));

/** `body.keys` once validated (an empty list counts: Directus tests it for truthiness). */
const keysOf = (body: JsonValue): readonly Key[] | undefined => {
  const keys = isObject(body) ? body['keys'] : undefined;
  return Array.isArray(keys) ? (keys as Key[]) : undefined;
};

// ------------------------------------------------------------------ routes: /items/:collection

export const readItems = (ctx: RestContext, [collection]: readonly string[]): RestOutcome => {
  const refused = guard(ctx, collection!);
  if (refused) return answer(ctx, failure(refused));
  return readReply(ctx, collection!, run(ctx, ctx.state, collection!, { action: 'read', query: ctx.query }));
};

/** SEARCH: the query (or `keys`) in the body; a body query replaces the URL's. */
export const searchItems = (ctx: RestContext, [collection]: readonly string[]): RestOutcome => {
  const refused = guard(ctx, collection!) ?? validateBatch('read', ctx.body);
  if (refused) return answer(ctx, failure(refused));
  const body = ctx.body as Readonly<Record<string, JsonValue>>;
  const query = body['query'] ? body['query'] : ctx.query;
  const keys = keysOf(body);
  return readReply(ctx, collection!, run(ctx, ctx.state, collection!, keys ? { action: 'read', ids: keys, query } : { action: 'read', query }));
};

export const createItems = (ctx: RestContext, [collection]: readonly string[]): RestOutcome => {
  const refused = guard(ctx, collection!);
  if (refused) return answer(ctx, failure(refused));
  if (singleton(ctx, collection!)) return answer(ctx, failure(routeNotFound(ctx.path.slice('/items'.length))));
  const write = run(ctx, ctx.state, collection!, { action: 'create', data: ctx.body });
  return written(ctx, collection!, write, Array.isArray(ctx.body) ? 'many' : 'one');
};

export const updateItems = (ctx: RestContext, [collection]: readonly string[]): RestOutcome => {
  const refused = guard(ctx, collection!);
  if (refused) return answer(ctx, failure(refused));
  const body = ctx.body;
  if (singleton(ctx, collection!)) {
    // upsertSingleton, then readSingleton with the request's query (its errors are not caught).
    const write = run(ctx, ctx.state, collection!, { action: 'update', data: body, query: withoutMeta(ctx.query) });
    const reply = isFailure(write.reply) ? failure(asError(write.reply, ctx.accountability.admin)) : payload(ctx, collection!, { data: write.reply.data });
    return { state: write.state, reply, events: write.events };
  }
  if (Array.isArray(body)) return written(ctx, collection!, run(ctx, ctx.state, collection!, { action: 'update', data: body }), 'many');
  const invalid = validateBatch('update', body);
  if (invalid) return answer(ctx, failure(invalid));
  const batch = body as Readonly<Record<string, JsonValue>>;
  const keys = keysOf(batch);
  const call: Call = keys ? { action: 'update', ids: keys, data: batch['data'] } : { action: 'update', query: batch['query'], data: batch['data'] };
  return written(ctx, collection!, run(ctx, ctx.state, collection!, call, keys ? undefined : BODY_QUERY), 'many');
};

export const deleteItems = (ctx: RestContext, [collection]: readonly string[]): RestOutcome => {
  const refused = guard(ctx, collection!);
  if (refused) return answer(ctx, failure(refused));
  const body = ctx.body;
  // Directus skips the batch validation for singletons and then reads `.limit` of an undefined query.
  if (singleton(ctx, collection!) && !Array.isArray(body) && !keysOf(body) && !(isObject(body) && body['query'] !== undefined)) {
    return answer(ctx, failure(internalError("Cannot read properties of undefined (reading 'limit')", ctx.accountability.admin)));
  }
  if (!Array.isArray(body) && !singleton(ctx, collection!)) {
    const invalid = validateBatch('delete', body);
    if (invalid) return answer(ctx, failure(invalid));
  }
  const keys = Array.isArray(body) ? (body as Key[]) : keysOf(body);
  const call: Call = keys ? { action: 'delete', ids: keys } : { action: 'delete', query: (body as Record<string, JsonValue>)['query'] };
  const outcome = run(ctx, ctx.state, collection!, call, keys ? undefined : BODY_QUERY);
  if (outcome.keys === undefined) return fail(ctx, outcome.reply as Failure);
  return { state: outcome.state, reply: noContent(), events: outcome.events };
};

// ------------------------------------------------------------------ routes: /items/:collection/:pk

export const readItem = (ctx: RestContext, [collection, pk]: readonly string[]): RestOutcome => {
  const refused = guard(ctx, collection!);
  if (refused) return answer(ctx, failure(refused));
  const outcome = run(ctx, ctx.state, collection!, { action: 'read', id: pk!, query: withoutMeta(ctx.query) });
  return isFailure(outcome.reply) ? fail(ctx, outcome.reply) : answer(ctx, payload(ctx, collection!, { data: outcome.reply.data }));
};

export const updateItem = (ctx: RestContext, [collection, pk]: readonly string[]): RestOutcome => {
  const refused = guard(ctx, collection!);
  if (refused) return answer(ctx, failure(refused));
  if (singleton(ctx, collection!)) return answer(ctx, failure(routeNotFound(ctx.path.slice('/items'.length))));
  return written(ctx, collection!, run(ctx, ctx.state, collection!, { action: 'update', id: pk!, data: ctx.body }), 'one');
};

export const deleteItem = (ctx: RestContext, [collection, pk]: readonly string[]): RestOutcome => {
  const refused = guard(ctx, collection!);
  if (refused) return answer(ctx, failure(refused));
  const outcome = run(ctx, ctx.state, collection!, { action: 'delete', id: pk! });
  if (outcome.keys === undefined) return fail(ctx, outcome.reply as Failure);
  return { state: outcome.state, reply: noContent(), events: outcome.events };
};
