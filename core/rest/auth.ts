// Where a request's access token comes from, and the `/auth` routes (login, refresh, logout) in
// Directus's three modes: json (tokens in the body), cookie (refresh token in a cookie) and session
// (the access token itself in a cookie).
import { invalidCredentials, login, logout, refresh, type Issued } from '../access/auth.ts';
import { SESSION_COOKIE } from '../access/cookies.ts';
import { verifyJwt } from '../access/jwt.ts';
import { invalidPayload, type DirectusError } from '../errors.ts';
import type { JsonValue } from '../types.ts';
import { answer, isObject, type RestContext, type RestOutcome } from './context.ts';
import type { RawQuery } from './query-string.ts';
import { cookie, failure, noContent, ok } from './respond.ts';
import { validateLogin } from './validate.ts';

export const REFRESH_COOKIE = 'directus_refresh_token';
/** Directus's SESSION_COOKIE_TTL default: how long a session-mode access token (and its cookie) lives. */
export const SESSION_TTL = 24 * 60 * 60_000;


export interface Token {
  readonly value: string;
  /** Came from the session cookie (a failed one is cleared). */
  readonly fromSession: boolean;
}

/** Directus's extractToken: `?access_token=`, `Authorization: Bearer …` (any case) or the session cookie; two at once is a 400. */
export const extractToken = (query: RawQuery, authorization: string | undefined, cookies: Readonly<Record<string, string>>): Token | null | DirectusError => {
  const found: Token[] = [];
  if (typeof query['access_token'] === 'string' && query['access_token'] !== '') found.push({ value: query['access_token'], fromSession: false });
  const parts = (authorization ?? '').split(' ');
  if (parts.length === 2 && parts[0]!.toLowerCase() === 'bearer' && parts[1] !== '') found.push({ value: parts[1]!, fromSession: false });
  const session = cookies[SESSION_COOKIE];
  if (session) found.push({ value: session, fromSession: true });
  if (found.length > 1) return invalidPayload('The request uses more than one method for including an access token');
  return found[0] ?? null;
};

/** Clearing a cookie the way Express 4 does with a `maxAge` option: empty value, a fresh expiry. */
export const clearCookie = (name: string, maxAge: number, now: number) => cookie(name, '', maxAge, now);

type Mode = 'json' | 'cookie' | 'session';

/** The reply of a login or refresh in each mode (`expires` first, as Directus builds it). */
const issued = (ctx: RestContext, result: Issued, mode: Mode): RestOutcome => {
  const config = ctx.state.config;
  if (mode === 'cookie') {
    return issuedReply(result, { expires: result.expires, access_token: result.accessToken }, [cookie(REFRESH_COOKIE, result.refreshToken, config.refreshTokenTtl, ctx.now)]);
  }
  if (mode === 'session') return issuedReply(result, { expires: result.expires }, [cookie(SESSION_COOKIE, result.accessToken, SESSION_TTL, ctx.now)]);
  return issuedReply(result, { expires: result.expires, refresh_token: result.refreshToken, access_token: result.accessToken });
};

const issuedReply = (result: Issued, payload: Record<string, JsonValue>, cookies: string[] = []): RestOutcome =>
  ({ state: result.state, reply: ok({ data: payload }, cookies), events: [] });

const options = (mode: Mode) => (mode === 'session' ? { session: { ttl: SESSION_TTL } } : {});

export const loginRoute = (ctx: RestContext): RestOutcome => {
  const invalid = validateLogin(ctx.body);
  if (invalid) return answer(ctx, failure(invalid));
  const body = ctx.body as Readonly<Record<string, JsonValue>>;
  const mode = (body['mode'] ?? 'json') as Mode;
  const result = login(ctx.state, body['email'] as string, body['password'] as string, ctx.now, options(mode));
  return result ? issued(ctx, result, mode) : answer(ctx, failure(invalidCredentials()));
};

/** The mode of a refresh or logout: as sent, else json when the body has a refresh token, else cookie. */
const modeOf = (body: JsonValue): unknown => {
  const fields = isObject(body) ? body : {};
  return fields['mode'] ?? (fields['refresh_token'] ? 'json' : 'cookie');
};

/** The refresh token in use for `mode`: the body's, the refresh cookie's, or the session JWT's. */
const currentRefreshToken = (ctx: RestContext, mode: unknown): string | undefined => {
  const fields = isObject(ctx.body) ? ctx.body : {};
  if (mode === 'json') return typeof fields['refresh_token'] === 'string' && fields['refresh_token'] !== '' ? fields['refresh_token'] : undefined;
  if (mode === 'cookie') return ctx.cookies[REFRESH_COOKIE] || undefined;
  if (mode === 'session') {
    const jwt = ctx.cookies[SESSION_COOKIE];
    const verified = jwt ? verifyJwt(jwt, ctx.state.config.secret, ctx.now) : undefined;
    return verified?.ok && typeof verified.claims['session'] === 'string' ? verified.claims['session'] : undefined;
  }
  return undefined;
};

const refreshRequired = () => invalidPayload('The refresh token is required in either the payload or cookie');

export const refreshRoute = (ctx: RestContext): RestOutcome => {
  const mode = modeOf(ctx.body);
  const token = currentRefreshToken(ctx, mode);
  if (token === undefined) return answer(ctx, failure(refreshRequired()));
  const result = refresh(ctx.state, token, ctx.now, options(mode as Mode));
  return result ? issued(ctx, result, mode as Mode) : answer(ctx, failure(invalidCredentials()));
};

export const logoutRoute = (ctx: RestContext): RestOutcome => {
  const token = currentRefreshToken(ctx, modeOf(ctx.body));
  if (token === undefined) return answer(ctx, failure(refreshRequired()));
  const cleared = [
    ...(ctx.cookies[REFRESH_COOKIE] ? [clearCookie(REFRESH_COOKIE, ctx.state.config.refreshTokenTtl, ctx.now)] : []),
    ...(ctx.cookies[SESSION_COOKIE] ? [clearCookie(SESSION_COOKIE, SESSION_TTL, ctx.now)] : []),
  ];
  return { state: logout(ctx.state, token), reply: noContent(cleared), events: [] };
};
