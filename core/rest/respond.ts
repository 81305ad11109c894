// HTTP replies as Directus (Express 4) sends them: the `{data, meta}` envelope, 204 for no payload,
// the error body, and the headers that go with each (weak ETag, no-cache, Vary, X-Powered-By, cookies).
import { sha1 } from '@noble/hashes/legacy.js';
import { DirectusError, errorBody, type Failure } from '../errors.ts';
import type { JsonValue } from '../types.ts';

export type Headers = Readonly<Record<string, string | readonly string[]>>;

export interface HttpReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const POWERED = { 'x-powered-by': 'Directus' };
// What Directus's `respond` middleware adds to every successful reply (the cache is off).
const NO_CACHE = { 'cache-control': 'no-cache', vary: 'Origin, Cache-Control' };

/** Express's weak ETag: byte length in hex and the start of the body's base64 SHA-1. */
const etag = (body: string): string => {
  const bytes = new TextEncoder().encode(body);
  const digest = btoa(String.fromCharCode(...sha1(bytes))).slice(0, 27);
  return `W/"${bytes.length.toString(16)}-${digest}"`;
};

const cookieHeader = (cookies: readonly string[]): Headers => (cookies.length > 0 ? { 'set-cookie': cookies } : {});

/** A `Set-Cookie` value as Express's `res.cookie(name, value, { maxAge, httpOnly, sameSite: 'lax' })` writes it. */
export const cookie = (name: string, value: string, maxAge: number, now: number): string =>
  `${name}=${value}; Max-Age=${Math.floor(maxAge / 1000)}; Path=/; Expires=${new Date(now + maxAge).toUTCString()}; HttpOnly; SameSite=Lax`;

/** 200 with a JSON payload (`{data}`, `{meta, data}`, …). */
export const ok = (payload: { readonly [key: string]: JsonValue | undefined }, cookies: readonly string[] = []): HttpReply => {
  const body = JSON.stringify(payload);
  return { status: 200, headers: { ...POWERED, ...NO_CACHE, 'content-type': JSON_TYPE, etag: etag(body), ...cookieHeader(cookies) }, body };
};

/** 204: the route produced no payload. */
export const noContent = (cookies: readonly string[] = []): HttpReply =>
  ({ status: 204, headers: { ...POWERED, ...NO_CACHE, ...cookieHeader(cookies) }, body: '' });

/** The error reply: Directus's status for the code and `{"errors":[…]}`. */
export const failure = (error: DirectusError, cookies: readonly string[] = []): HttpReply => {
  const body = errorBody(error);
  return { status: error.status, headers: { ...POWERED, 'content-type': JSON_TYPE, etag: etag(body), ...cookieHeader(cookies) }, body };
};

/** `res.attachment(filename)` then `res.send(body)` with the given type: a file to download (`?export=`). */
export const attachment = (body: string, contentType: string, filename: string): HttpReply => ({
  status: 200,
  headers: { ...POWERED, ...NO_CACHE, 'content-disposition': `attachment; filename="${filename}"`, 'content-type': contentType, etag: etag(body) },
  body,
});

/** `res.send(text)`: an HTML string reply (`/server/ping`). */
export const html = (text: string): HttpReply =>
  ({ status: 200, headers: { ...POWERED, 'content-type': 'text/html; charset=utf-8', etag: etag(text) }, body: text });

/** `res.redirect(location)`. */
export const redirect = (location: string): HttpReply => ({
  status: 302,
  headers: { ...POWERED, 'content-type': 'text/plain; charset=utf-8', vary: 'Accept', location },
  body: `Found. Redirecting to ${location}`,
});

/** `res.json(payload)` with its own content type and no `respond` middleware (`/server/health`). */
export const plainJson = (payload: JsonValue, contentType: string): HttpReply => {
  const body = JSON.stringify(payload);
  return { status: 200, headers: { ...POWERED, 'content-type': `${contentType}; charset=utf-8`, etag: etag(body) }, body };
};

export const routeNotFound = (path: string) =>
  new DirectusError('ROUTE_NOT_FOUND', `Route ${path} doesn't exist.`, { path });

/** A non-Directus exception: its text is shown to admins only, as Directus's error handler does. */
export const internalError = (message: string, admin: boolean) =>
  new DirectusError('INTERNAL_SERVER_ERROR', admin ? message : 'An unexpected error occurred.');

/** Directus reports over HTTP what WebSocket swallows: a Silent failure's error, else a 500. */
export const asError = (f: Failure, admin: boolean): DirectusError =>
  f instanceof DirectusError ? f : f.error ?? internalError(f.reason, admin);
