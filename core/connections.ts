// Connection lifecycle: the upgrade (auth modes), auth messages, token expiry and the heartbeat.
// Timers are asked for as outputs and come back as `timer` inputs, so the core stays pure.
import { authenticate, userForToken } from './access/auth.ts';
import { parseCookies, SESSION_COOKIE } from './access/cookies.ts';
import { accountabilityFor, publicAccountability } from './access/permissions.ts';
import { castDraft, produce, type Draft } from './draft.ts';
import { DirectusError, errorFrame } from './errors.ts';
import { frame, send } from './frames.ts';
import { decodeAuth } from './messages.ts';
import type { Connection, ConnectionId, JsonValue, Output, Result, State } from './types.ts';

const HANDSHAKE_FAILED = new DirectusError('AUTH_FAILED', 'Authentication handshake failed.');
const TOKEN_EXPIRED = new DirectusError('TOKEN_EXPIRED', 'Token expired.');
const AUTH_TIMEOUT = new DirectusError('AUTH_TIMEOUT', 'Authentication timed out.');

export const authTimer = (conn: ConnectionId) => `auth:${conn}`;
export const expiryTimer = (conn: ConnectionId) => `expire:${conn}`;
export const HEARTBEAT = 'heartbeat';
const collabTimer = (conn: ConnectionId) => `collab:${conn}`;

// The connections container is keyed like rows and may hold thousands of entries: adding, replacing
// or dropping one is a plain copy, which is all immer would do with it too, plus its draft's
// overhead. What changes inside one connection (its fields, its subscriptions) goes through an immer
// draft, and the heartbeat changes all of them in one draft (one copy of the container, not one each).

/** `state` with `conn` added (or put in place of the connection with its id). */
export const putConnection = (state: State, conn: Connection): State => ({
  ...state,
  connections: { ...state.connections, [conn.id]: conn },
});

/** `state` with connection `id` changed by `recipe`, which gets a draft of it (unchanged if there is none). */
export const updateConnection = (state: State, id: ConnectionId, recipe: (conn: Draft<Connection>) => void): State => {
  const conn = Object.hasOwn(state.connections, id) ? state.connections[id]! : undefined;
  if (!conn) return state;
  const changed = produce(conn, recipe);
  return changed === conn ? state : putConnection(state, changed);
};

export const dropConnection = (state: State, id: ConnectionId): State => {
  if (!Object.hasOwn(state.connections, id)) return state;
  const { [id]: _dropped, ...connections } = state.connections;
  return { ...state, connections };
};

/** The accountability `conn` falls back to when its token fails or expires. */
const demote = (state: State, conn: Draft<Connection>, awaitingReauth: boolean): void => {
  conn.accountability = castDraft(publicAccountability(state.data));
  conn.expiresAt = null;
  conn.awaitingReauth = awaitingReauth;
};

/** Closing a connection: drop it (with its subscriptions) and its timers. */
const closeOutputs = (id: ConnectionId): Output[] => [
  { type: 'close', conn: id },
  { type: 'cancel-timer', key: authTimer(id) },
  { type: 'cancel-timer', key: expiryTimer(id) },
];

/** The heartbeat runs while at least one client is connected. */
const ensureHeartbeat = (state: State): [State, Output[]] =>
  state.heartbeatScheduled || state.config.heartbeatPeriod <= 0
    ? [state, []]
    : [produce(state, (draft) => {
      draft.heartbeatScheduled = true;
    }), [{ type: 'timer', key: HEARTBEAT, delay: state.config.heartbeatPeriod }]];

const expiryOutputs = (id: ConnectionId, expiresAt: number | null, now: number): Output[] =>
  expiresAt === null ? [] : [{ type: 'timer', key: expiryTimer(id), delay: Math.max(0, expiresAt - now) }];

const newConnection = (
  state: State, id: ConnectionId, phase: Connection['phase'],
  accountability = publicAccountability(state.data), expiresAt: number | null = null,
): Connection => ({
  id,
  phase,
  accountability,
  expiresAt,
  awaitingReauth: false,
  alive: true,
  subscriptions: [],
});

/**
 * A new connection. `?access_token=` or the session cookie (in any mode), or strict mode, make it a
 * token upgrade: a missing or bad token is refused with 401 — even in public mode, as in Directus.
 */
export const open = (state: State, id: ConnectionId, query: string | undefined, now: number, cookie?: string): Result => {
  const token = new URLSearchParams(query ?? '').get('access_token') ?? parseCookies(cookie)[SESSION_COOKIE] ?? null;
  const mode = state.config.authMode;
  if (mode === 'strict' || token !== null) {
    const found = token === null ? undefined : userForToken(state, token, now);
    if (!found) return [state, [{ type: 'refuse', conn: id, status: 401 }]];
    const conn = newConnection(state, id, 'open', accountabilityFor(state.data, found.user), found.expiresAt);
    const [next, hb] = ensureHeartbeat(putConnection(state, conn));
    return [next, [...hb, ...expiryOutputs(id, found.expiresAt, now)]];
  }
  if (mode === 'handshake') {
    const conn = newConnection(state, id, 'pending');
    return [putConnection(state, conn), [{ type: 'timer', key: authTimer(id), delay: state.config.authTimeout }]];
  }
  const [next, hb] = ensureHeartbeat(putConnection(state, newConnection(state, id, 'open')));
  return [next, hb];
};

export const close = (state: State, id: ConnectionId): Result =>
  Object.hasOwn(state.connections, id)
    ? [dropConnection(state, id), [{ type: 'cancel-timer', key: authTimer(id) }, { type: 'cancel-timer', key: expiryTimer(id) }]]
    : [state, []];

/** The first message in handshake mode: it must be a valid auth message that authenticates. */
export const handshake = (state: State, conn: Connection, parsed: JsonValue | undefined, now: number): Result => {
  const message = decodeAuth(parsed);
  const result = message ? authenticate(state, message, now) : HANDSHAKE_FAILED;
  if (result instanceof DirectusError) {
    return [dropConnection(state, conn.id), [send(conn.id, errorFrame('auth', HANDSHAKE_FAILED)), ...closeOutputs(conn.id)]];
  }
  const opened = updateConnection(result.state, conn.id, (draft) => {
    draft.phase = 'open';
    draft.accountability = castDraft(result.accountability);
    draft.expiresAt = result.expiresAt;
  });
  const [next, hb] = ensureHeartbeat(opened);
  return [next, [
    { type: 'cancel-timer', key: authTimer(conn.id) },
    send(conn.id, frame('auth', { status: 'ok', refresh_token: result.refreshToken }, message!.uid)),
    ...hb,
    ...expiryOutputs(conn.id, result.expiresAt, now),
  ]];
};

/**
 * An auth message on an open connection. One that fails its schema is ignored; a failed auth falls
 * back to public access (never to unchecked access) and closes the socket unless the mode is public.
 */
export const reauth = (state: State, conn: Connection, parsed: JsonValue, now: number): Result => {
  const message = decodeAuth(parsed);
  if (!message) return [state, []];
  const result = authenticate(state, message, now);
  if (result instanceof DirectusError) {
    const reply = send(conn.id, errorFrame('auth', result, message.uid));
    if (state.config.authMode === 'public') {
      const demoted = updateConnection(state, conn.id, (draft) => demote(state, draft, false));
      return [demoted, [reply, { type: 'cancel-timer', key: expiryTimer(conn.id) }]];
    }
    return [dropConnection(state, conn.id), [reply, ...closeOutputs(conn.id)]];
  }
  const updated = updateConnection(result.state, conn.id, (draft) => {
    draft.accountability = castDraft(result.accountability);
    draft.expiresAt = result.expiresAt;
    draft.awaitingReauth = false;
  });
  return [updated, [
    send(conn.id, frame('auth', { status: 'ok', refresh_token: result.refreshToken }, message.uid)),
    { type: 'cancel-timer', key: authTimer(conn.id) },
    { type: 'cancel-timer', key: expiryTimer(conn.id) },
    ...expiryOutputs(conn.id, result.expiresAt, now),
  ]];
};

/** A timer the core asked for has fired. */
export const timer = (state: State, key: string, now: number): Result => {
  if (key === HEARTBEAT) return heartbeat(state);
  const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  const conn = Object.hasOwn(state.connections, id) ? state.connections[id] : undefined;
  if (!conn) return [state, []];
  if (kind === 'collab') return [dropConnection(state, id), closeOutputs(id)];
  if (kind === 'auth') {
    if (conn.phase === 'pending') {
      return [dropConnection(state, id), [send(id, errorFrame('auth', HANDSHAKE_FAILED)), ...closeOutputs(id)]];
    }
    if (!conn.awaitingReauth) return [state, []];
    if (state.config.authMode === 'public') {
      const resumed = updateConnection(state, id, (draft) => {
        draft.awaitingReauth = false;
      });
      return [resumed, [send(id, errorFrame('auth', AUTH_TIMEOUT))]];
    }
    return [dropConnection(state, id), [send(id, errorFrame('auth', AUTH_TIMEOUT)), ...closeOutputs(id)]];
  }
  if (kind === 'expire' && conn.expiresAt !== null) {
    if (conn.expiresAt > now) return [state, expiryOutputs(id, conn.expiresAt, now)];
    const expired = updateConnection(state, id, (draft) => demote(state, draft, true));
    return [expired, [
      send(id, errorFrame('auth', TOKEN_EXPIRED)),
      { type: 'timer', key: authTimer(id), delay: state.config.authTimeout },
    ]];
  }
  return [state, []];
};

/**
 * A `collab` message. Collaborative editing is off (Directus's default setting, and standin has no
 * other): Directus answers every such message with this frame (`trigger` is the message's `action`)
 * and closes the socket 250 ms later.
 */
export const collabDisabled = (state: State, conn: Connection, action: unknown): Result => [state, [
  send(conn.id, JSON.stringify({
    action: 'error', type: 'collab', code: 'SERVICE_UNAVAILABLE', trigger: action,
    message: 'Service "collab" is unavailable. Collaborative editing is disabled.',
  })),
  { type: 'timer', key: collabTimer(conn.id), delay: 250 },
]];

/** Ping every client; close those that sent nothing since the previous ping. */
const heartbeat = (state: State): Result => {
  const out: Output[] = [];
  let clients = false;
  const next = produce(state, (draft) => {
    for (const conn of Object.values(state.connections)) {
      if (conn.phase !== 'open') continue;
      if (!conn.alive) {
        delete draft.connections[conn.id];
        out.push(...closeOutputs(conn.id));
      } else {
        draft.connections[conn.id]!.alive = false;
        out.push(send(conn.id, JSON.stringify({ type: 'ping' })));
        clients = true;
      }
    }
    if (!clients) draft.heartbeatScheduled = false;
  });
  return [next, clients ? [...out, { type: 'timer', key: HEARTBEAT, delay: state.config.heartbeatPeriod }] : out];
};
