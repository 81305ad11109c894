// handle(state, input) -> [state, outputs]: the whole server as a pure, total function.
import * as conns from './connections.ts';
import { DirectusError, errorFrame, Silent } from './errors.ts';
import { frame, send } from './frames.ts';
import { handleItems } from './items/handler.ts';
import {
  decodeEnvelope, decodeItems, decodeSubscribe, decodeUnsubscribe, parseJson, validationError, type Envelope,
} from './messages.ts';
import { outsideEdit } from './outside-edit.ts';
import { dispatch } from './realtime/dispatch.ts';
import { subscribe, unsubscribe } from './realtime/subscribe.ts';
import { request } from './rest/request.ts';
import type { Connection, Input, JsonValue, Result, State } from './types.ts';

const UNPARSABLE = new DirectusError('INVALID_PAYLOAD', 'Unable to parse the incoming message.');

/** Handles one input. Never throws: an unexpected failure answers nothing and keeps the state. */
export const handle = (state: State, input: Input): Result => {
  try {
    switch (input.type) {
      case 'open': return conns.open(state, input.conn, input.query, input.now, input.cookie);
      case 'close': return conns.close(state, input.conn);
      case 'timer': return conns.timer(state, input.key, input.now);
      case 'message': return message(state, input.conn, input.text, input.now);
      case 'request': return request(state, input);
      case 'outside-edit': return outsideEdit(state, input.edited, input.bases, input.now);
      default: return [state, []];
    }
  } catch {
    // Directus logs non-Directus exceptions and sends nothing; so do we (the state is untouched).
    return [state, []];
  }
};

const message = (state: State, id: string, text: string, now: number): Result => {
  const conn = Object.hasOwn(state.connections, id) ? state.connections[id] : undefined;
  if (!conn) return [state, []];
  const parsed = parseJson(typeof text === 'string' ? text : String(text));
  if (conn.phase === 'pending') return conns.handshake(state, conn, parsed?.value, now);
  if (!parsed) return [state, [send(id, errorFrame('server', UNPARSABLE))]];
  const value = parsed.value;
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  // Auth messages never reach the other handlers and do not count as heartbeat activity.
  if (isObject && value['type'] === 'auth') return conns.reauth(state, conn, value, now);
  const envelope = decodeEnvelope(value);
  if (!envelope) return [state, [send(id, errorFrame('server', validationError('envelope', value)))]];
  if (conn.alive) return route(state, conn, envelope, now);
  const live = conns.updateConnection(state, id, (draft) => {
    draft.alive = true;
  });
  return route(live, live.connections[id]!, envelope, now);
};

const route = (state: State, conn: Connection, envelope: Envelope, now: number): Result => {
  switch (envelope.type) {
    case 'ping':
      return [state, [send(conn.id, frame('pong', {}, envelope.uid))]];
    case 'items': {
      const message = decodeItems(envelope);
      if (!message) return [state, [send(conn.id, errorFrame('items', validationError('items', envelope), envelope.uid))]];
      // A query given as a string, or an update without data: Directus throws a non-Directus error and answers nothing.
      // A write committed before its read-back failed that way stands, and its events go out.
      const outcome = handleItems(state, conn.accountability, message, now);
      if (outcome.reply instanceof Silent) return [outcome.state, dispatch(outcome.state, state.data, outcome.events, now)];
      const text = outcome.reply instanceof DirectusError
        ? errorFrame('items', outcome.reply, message.uid)
        : frame('items', { data: outcome.reply.data, meta: outcome.reply.meta as { [k: string]: JsonValue } | undefined }, message.uid);
      return [outcome.state, [send(conn.id, text), ...dispatch(outcome.state, state.data, outcome.events, now)]];
    }
    case 'subscribe': {
      const message = decodeSubscribe(envelope);
      if (!message) return [state, [send(conn.id, errorFrame('subscribe', validationError('subscribe', envelope)))]];
      return subscribe(state, conn, message, now);
    }
    case 'unsubscribe': {
      const message = decodeUnsubscribe(envelope);
      // Directus validates unsubscribe in its subscribe handler, so a failure is answered as `subscribe`.
      if (!message) return [state, [send(conn.id, errorFrame('subscribe', validationError('unsubscribe', envelope)))]];
      return unsubscribe(state, conn, message);
    }
    case 'collab':
      return conns.collabDisabled(state, conn, envelope['action']);
    default:
      // pong only counts as activity; unknown types get no reply, as in Directus.
      return [state, []];
  }
};
