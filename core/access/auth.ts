// Authentication: static user tokens, access/refresh tokens standin issues, email + password.
import { DirectusError } from '../errors.ts';
import type { AuthMessage } from '../messages.ts';
import { randomHex } from '../random.ts';
import type { Accountability, Item, State } from '../types.ts';
import { accountabilityFor } from './permissions.ts';

export interface Authenticated {
  readonly state: State;
  readonly accountability: Accountability;
  /** When the access token expires (ms), null for static tokens. */
  readonly expiresAt: number | null;
  /** Sent back only for email/password and refresh-token logins. */
  readonly refreshToken?: string;
}

const authFailed = () => new DirectusError('AUTH_FAILED', 'Authentication failed.');

const users = (state: State): readonly Item[] => state.data.system['directus_users'] ?? [];
const active = (user: Item | undefined): user is Item => user !== undefined && (user['status'] ?? 'active') === 'active';

/** Resolves an access token: a user's static `token`, or a token standin issued that has not expired. */
export const userForToken = (state: State, token: string, now: number): { user: Item; expiresAt: number | null } | undefined => {
  const issued = Object.hasOwn(state.tokens, token) ? state.tokens[token] : undefined;
  if (issued) {
    const user = users(state).find((u) => String(u['id']) === issued.user);
    return issued.expiresAt > now && active(user) ? { user, expiresAt: issued.expiresAt } : undefined;
  }
  const user = token === '' ? undefined : users(state).find((u) => u['token'] === token);
  return active(user) ? { user, expiresAt: null } : undefined;
};

/** Issues a fresh access token and refresh token (a session) for a user. */
const issue = (state: State, user: Item, now: number): Authenticated => {
  const [access, seed1] = randomHex(state.seed, 32);
  const [refresh, seed2] = randomHex(seed1, 32);
  const id = String(user['id']);
  const expiresAt = now + state.config.accessTokenTtl;
  const next: State = {
    ...state,
    seed: seed2,
    tokens: { ...state.tokens, [access]: { token: access, user: id, expiresAt } },
    sessions: { ...state.sessions, [refresh]: { refreshToken: refresh, user: id, expiresAt: now + state.config.refreshTokenTtl } },
  };
  return { state: next, accountability: accountabilityFor(state.data, user), expiresAt, refreshToken: refresh };
};

export const authenticate = (state: State, message: AuthMessage, now: number): Authenticated | DirectusError => {
  let current = state;
  let result: Authenticated | undefined;
  if ('email' in message) {
    const email = message.email.toLowerCase();
    const user = users(current).find((u) => typeof u['email'] === 'string' && u['email'].toLowerCase() === email);
    // Passwords in the data file are compared as plain text (see README: no hashing).
    if (!active(user) || user['password'] !== message.password) return authFailed();
    result = issue(current, user, now);
  } else if ('refresh_token' in message) {
    const session = Object.hasOwn(current.sessions, message.refresh_token) ? current.sessions[message.refresh_token] : undefined;
    const user = session && session.expiresAt > now ? users(current).find((u) => String(u['id']) === session.user) : undefined;
    if (!active(user)) return authFailed();
    // Refresh tokens rotate: the old one stops working.
    const { [message.refresh_token]: _used, ...sessions } = current.sessions;
    current = { ...current, sessions };
    result = issue(current, user, now);
  } else {
    const found = userForToken(current, message.access_token, now);
    if (!found) return authFailed();
    result = { state: current, accountability: accountabilityFor(current.data, found.user), expiresAt: found.expiresAt };
  }
  return result;
};
