// Access tokens as Directus mints them: JWTs signed HS256 with the configured secret, `iss: "directus"`.
// Synchronous and free of Node APIs (HMAC from @noble/hashes, JWT framing from @oslojs/jwt), so the
// core stays pure and runs in browsers; the clock is always the caller's `now`.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from './equal-bytes.ts';
import { createJWTSignatureMessage, decodeJWT, encodeJWT, parseJWT } from '@oslojs/jwt';
import type { JsonValue } from '../types.ts';

export const ISSUER = 'directus';

/** The claims of a Directus access token (`session` only for session-cookie logins). */
export interface AccessClaims {
  readonly id: string | null;
  readonly role: string | null;
  readonly app_access: boolean;
  readonly admin_access: boolean;
  readonly session?: string;
  /** Seconds since the epoch, as in every JWT. */
  readonly iat: number;
  readonly exp: number;
  readonly iss: string;
}

const HEADER = JSON.stringify({ alg: 'HS256', typ: 'JWT' });
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const sign = (secret: string, message: Uint8Array): Uint8Array => hmac(sha256, utf8(secret), message);

/** Signs claims in the order given (jsonwebtoken puts `iat`, `exp`, `iss` after the custom claims). */
export const signJwt = (claims: Readonly<Record<string, JsonValue>>, secret: string): string => {
  const payload = JSON.stringify(claims);
  return encodeJWT(HEADER, payload, sign(secret, createJWTSignatureMessage(HEADER, payload)));
};

/** A Directus access token for these claims, valid for `ttl` ms from `now`. */
export const signAccessToken = (
  claims: Omit<AccessClaims, 'iat' | 'exp' | 'iss'>, secret: string, now: number, ttl: number,
): string => {
  const iat = Math.floor(now / 1000);
  return signJwt({ ...claims, iat, exp: iat + Math.floor(ttl / 1000), iss: ISSUER }, secret);
};

/** Directus's `isDirectusJWT`: any decodable JWT whose (unverified) `iss` is "directus". */
export const isDirectusJwt = (token: string): boolean => {
  try {
    return (decodeJWT(token) as { iss?: unknown }).iss === ISSUER;
  } catch {
    return false;
  }
};

export type Verified =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  /** `invalid`: bad signature, algorithm, shape, `nbf` or issuer; `expired`: a valid token past `exp`. */
  | { readonly ok: false; readonly reason: 'invalid' | 'expired' };

const INVALID: Verified = { ok: false, reason: 'invalid' };

/** jsonwebtoken's `verify(token, secret, { issuer: 'directus' })`: signature, then nbf, exp, issuer. */
export const verifyJwt = (token: string, secret: string, now: number): Verified => {
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  let signature: Uint8Array;
  let message: Uint8Array;
  try {
    const parsed = parseJWT(token);
    [header, claims, signature, message] = [parsed[0] as Record<string, unknown>, parsed[1] as Record<string, unknown>, parsed[2], parsed[3]];
  } catch {
    return INVALID;
  }
  if (header['alg'] !== 'HS256' || !equalBytes(signature, sign(secret, message))) return INVALID;
  const seconds = Math.floor(now / 1000);
  const { nbf, exp } = claims;
  if (nbf !== undefined && (typeof nbf !== 'number' || seconds < nbf)) return INVALID;
  if (exp !== undefined && typeof exp !== 'number') return INVALID;
  if (typeof exp === 'number' && seconds >= exp) return { ok: false, reason: 'expired' };
  if (claims['iss'] !== ISSUER) return INVALID;
  return { ok: true, claims };
};
