// Authentication as Directus does it: access tokens are JWTs signed with the configured secret (or a
// user's static token), refresh tokens are opaque and live in sessions, e-mail + password logs in.
// Shared by the WebSocket auth message and the REST /auth routes; each transport words its own failures.
import { produce } from '../draft.ts';
import { DirectusError } from '../errors.ts';
import type { AuthMessage } from '../messages.ts';
import { randomHex } from '../random.ts';
import type { Accountability, Item, State } from '../types.ts';
import { isDirectusJwt, signAccessToken, verifyJwt } from './jwt.ts';
import { passwordMatches } from './password.ts';
import { accountabilityFor } from './permissions.ts';

export interface Authenticated {
  readonly state: State;
  readonly accountability: Accountability;
  /** When the access token expires (ms), null for static tokens. */
  readonly expiresAt: number | null;
  /** Sent back only for email/password and refresh-token logins. */
  readonly refreshToken?: string;
}

/** What a login or refresh hands out. */
export interface Issued extends Authenticated {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** The access token's lifetime in ms (Directus's `expires`). */
  readonly expires: number;
}

/** Session mode: the access token carries its session and lives `ttl` ms (SESSION_COOKIE_TTL). */
export interface SessionOptions {
  readonly session?: { readonly ttl: number };
}

const authFailed = () => new DirectusError('AUTH_FAILED', 'Authentication failed.');
export const invalidCredentials = () => new DirectusError('INVALID_CREDENTIALS', 'Invalid user credentials.');
const invalidToken = () => new DirectusError('INVALID_TOKEN', 'Invalid token.');
const tokenExpired = () => new DirectusError('TOKEN_EXPIRED', 'Token expired.');

const users = (state: State): readonly Item[] => state.data.system['directus_users'] ?? [];
const active = (user: Item | undefined): user is Item => user !== undefined && (user['status'] ?? 'active') === 'active';
const hasKey = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/**
 * Directus's getAccountabilityForToken, resolved to the user it speaks for. A Directus JWT (unverified
 * `iss: "directus"`) must verify (else INVALID_TOKEN / TOKEN_EXPIRED) and carry the access claims; its
 * user is taken from the claims as they are. Any other token is looked up as an active user's static token.
 */
export const resolveToken = (state: State, token: string, now: number): { user: Item; expiresAt: number | null } | DirectusError => {
  if (isDirectusJwt(token)) {
    const verified = verifyJwt(token, state.config.secret, now);
    if (!verified.ok) return verified.reason === 'expired' ? tokenExpired() : invalidToken();
    const claims = verified.claims;
    if (claims['role'] === undefined || claims['app_access'] === undefined || claims['admin_access'] === undefined) return invalidToken();
    if (claims['session'] !== undefined) {
      const session = typeof claims['session'] === 'string' ? hasKey(state.sessions, claims['session']) : undefined;
      if (!session || session.expiresAt <= now) return invalidCredentials();
    }
    const user: Item = { id: typeof claims['id'] === 'string' ? claims['id'] : null, role: typeof claims['role'] === 'string' ? claims['role'] : null };
    return { user, expiresAt: typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : null };
  }
  const user = token === '' ? undefined : users(state).find((u) => u['token'] === token);
  return active(user) ? { user, expiresAt: null } : invalidCredentials();
};

/** The accountability an access token grants (REST's authenticate step). */
export const accountabilityForToken = (state: State, token: string, now: number): { accountability: Accountability; expiresAt: number | null } | DirectusError => {
  const found = resolveToken(state, token, now);
  return found instanceof DirectusError ? found : { accountability: accountabilityFor(state.data, found.user), expiresAt: found.expiresAt };
};

/** A token a WebSocket may open with: it must resolve to a user (the upgrade is refused otherwise). */
export const userForToken = (state: State, token: string, now: number): { user: Item; expiresAt: number | null } | undefined => {
  const found = resolveToken(state, token, now);
  return found instanceof DirectusError || found.user['id'] === null ? undefined : found;
};

/** Issues a JWT access token and a refresh token (a new session) for a user. */
const issue = (state: State, user: Item, now: number, options: SessionOptions): Issued => {
  const [refresh, seed] = randomHex(state.seed, 32);
  const id = String(user['id']);
  const accountability = accountabilityFor(state.data, user);
  const expires = options.session?.ttl ?? state.config.accessTokenTtl;
  const accessToken = signAccessToken({
    id, role: accountability.role, app_access: accountability.app, admin_access: accountability.admin,
    ...(options.session ? { session: refresh } : {}),
  }, state.config.secret, now, expires);
  const sessionTtl = options.session?.ttl ?? state.config.refreshTokenTtl;
  const next = produce(state, (draft) => {
    draft.seed = seed;
    draft.sessions[refresh] = { refreshToken: refresh, user: id, expiresAt: now + sessionTtl };
  });
  return { state: next, accountability, expiresAt: (Math.floor(now / 1000) + Math.floor(expires / 1000)) * 1000, accessToken, refreshToken: refresh, expires };
};

/** E-mail (case-insensitive) and password of an active user: an argon2 hash as Directus stores it, or plain text. */
export const login = (state: State, email: string, password: string, now: number, options: SessionOptions = {}): Issued | undefined => {
  const wanted = email.toLowerCase();
  const user = users(state).find((u) => typeof u['email'] === 'string' && u['email'].toLowerCase() === wanted);
  return active(user) && passwordMatches(user['password'], password) ? issue(state, user, now, options) : undefined;
};

/** Exchanges a live refresh token for new tokens; the old refresh token stops working (rotation). */
export const refresh = (state: State, token: string, now: number, options: SessionOptions = {}): Issued | undefined => {
  const session = hasKey(state.sessions, token);
  const user = session && session.expiresAt > now ? users(state).find((u) => String(u['id']) === session.user) : undefined;
  if (!active(user)) return undefined;
  return issue(logout(state, token), user, now, options);
};

/** Ends the session of a refresh token (unknown tokens are fine). */
export const logout = (state: State, token: string): State => {
  if (!Object.hasOwn(state.sessions, token)) return state;
  return produce(state, (draft) => {
    delete draft.sessions[token];
  });
};

/** The WebSocket auth message: login, refresh or an access token; any failure is AUTH_FAILED. */
export const authenticate = (state: State, message: AuthMessage, now: number): Authenticated | DirectusError => {
  if ('email' in message) return login(state, message.email, message.password, now) ?? authFailed();
  if ('refresh_token' in message) return refresh(state, message.refresh_token, now) ?? authFailed();
  const found = userForToken(state, message.access_token, now);
  if (!found) return authFailed();
  return { state, accountability: accountabilityFor(state.data, found.user), expiresAt: found.expiresAt };
};
