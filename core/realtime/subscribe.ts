// `subscribe` / `unsubscribe`: registering a subscription and its `init` frame (spec §5.1, §5.4).
import { queryContext } from '../access/context.ts';
import { updateConnection } from '../connections.ts';
import { castDraft } from '../draft.ts';
import { DirectusError, errorFrame, forbiddenCollection, isFailure, type Failure } from '../errors.ts';
import { frame, send } from '../frames.ts';
import { isCostExceeded, limitsOf } from '../query/shared/limits.ts';
import { readByQuery, readOne, type ItemsReply } from '../items/read.ts';
import type { SubscribeMessage, UnsubscribeMessage } from '../messages.ts';
import { sanitizeQuery } from '../query/shared/sanitize.ts';
import { collectionOf, isSystemCollection } from '../schema.ts';
import { checkQuery } from '../query/validate-query.ts';
import type { Connection, JsonObject, Output, State, Subscription } from '../types.ts';

/** The payload a subscription sees: its query re-read for an item or the whole collection. */
export const subscriptionPayload = (state: State, conn: Connection, sub: Subscription, now: number): ItemsReply | Failure => {
  const query = sanitizeQuery(sub.query, limitsOf(state.config));
  if (isFailure(query)) return query;
  if (!collectionOf(state.schema, sub.collection)) return forbiddenCollection(sub.collection);
  const ctx = queryContext(state.schema, state.data, conn.accountability, now, 'read', limitsOf(state.config));
  const limit = state.config.queryLimitDefault;
  return sub.item !== undefined
    ? readOne(ctx, sub.collection, sub.item, query, limit)
    : readByQuery(ctx, sub.collection, query, limit);
};

/** A `subscribe` refused: the state unchanged and an error frame carrying the message's uid. */
const subscribeFailed = (state: State, conn: Connection, uid: string | number | undefined, error: DirectusError): [State, Output[]] =>
  [state, [send(conn.id, errorFrame('subscribe', error, uid))]];

export const subscribe = (state: State, conn: Connection, message: SubscribeMessage, now: number): [State, Output[]] => {
  const { collection, uid } = message;
  // assertCollectionActive comes first: a collection the schema lacks is FORBIDDEN to anyone, admin
  // included, before the query or `event` are looked at.
  const known = collectionOf(state.schema, collection) !== undefined || isSystemCollection(collection);
  if (!known) return subscribeFailed(state, conn, uid, forbiddenCollection(collection));
  const sub: Subscription = {
    uid: uid === undefined ? undefined : String(uid),
    collection,
    event: message.event,
    item: message.item === undefined ? undefined : String(message.item),
    query: (message.query ?? {}) as JsonObject,
    since: now,
    leave: message.leave === true,
  };
  const query = checkQuery(sub.query, queryContext(state.schema, state.data, conn.accountability, now, 'read', limitsOf(state.config)));
  if (isFailure(query)) return query instanceof DirectusError ? subscribeFailed(state, conn, uid, query) : [state, []];
  let body: Record<string, any> = {};
  if (sub.event === undefined) {
    const payload = subscriptionPayload(state, conn, sub, now);
    if (isFailure(payload)) return payload instanceof DirectusError ? subscribeFailed(state, conn, uid, payload) : [state, []];
    body = { data: payload.data, meta: payload.meta as JsonObject | undefined };
  } else {
    // No init is sent, but the query is read once all the same: a subscription whose first page
    // already passes the cost budget would cost about that much on every event, for every writer.
    const payload = subscriptionPayload(state, conn, sub, now);
    if (isCostExceeded(payload)) return subscribeFailed(state, conn, uid, payload as DirectusError);
  }
  // A repeated uid replaces the earlier subscription (the SDK re-sends subscriptions on reconnect).
  const kept = conn.subscriptions.filter((s) => sub.uid === undefined || s.uid !== sub.uid);
  const next = updateConnection(state, conn.id, (draft) => {
    draft.subscriptions = castDraft([...kept, sub]);
  });
  return [next, [send(conn.id, frame('subscription', { event: 'init', ...body }, sub.uid))]];
};

export const unsubscribe = (state: State, conn: Connection, message: UnsubscribeMessage): [State, Output[]] => {
  const uid = message.uid === undefined ? undefined : String(message.uid);
  const subscriptions = uid === undefined ? [] : conn.subscriptions.filter((s) => s.uid !== uid);
  const next = updateConnection(state, conn.id, (draft) => {
    draft.subscriptions = castDraft(subscriptions);
  });
  return [
    next,
    [send(conn.id, frame('subscription', { event: 'unsubscribe' }, message.uid))],
  ];
};
