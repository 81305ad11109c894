// Password checks. A user exported from a real Directus carries an argon2 hash in PHC form
// (`$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`, what the `argon2` package Directus uses writes);
// a fixture may hold the plain password instead. Hashing is deterministic, so it may live in the core.
// Cost: pure JavaScript argon2 (@noble/hashes) at Directus's settings (64 MiB, 3 passes) takes
// seconds of CPU per check; results are remembered, so a test suite pays it once per user and password.
import { argon2d, argon2i, argon2id } from '@noble/hashes/argon2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from './equal-bytes.ts';

const VARIANTS = { argon2id, argon2i, argon2d } as const;

interface Argon2Hash {
  readonly variant: keyof typeof VARIANTS;
  readonly version: number;
  readonly m: number;
  readonly t: number;
  readonly p: number;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

/** A memory cost above this (KiB) is not computed: 1 GiB, @noble/hashes's own limit. */
const MAX_MEMORY_KIB = 1024 * 1024;

const bytesOf = (base64: string): Uint8Array | undefined => {
  try {
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
};

const whole = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : undefined;

/** Parses a PHC argon2 string; undefined for anything else. */
export const parseArgon2 = (stored: string): Argon2Hash | undefined => {
  const parts = stored.split('$');
  // ['', variant, 'v=19', 'm=…,t=…,p=…', salt, hash]; the version part is optional in PHC (0x10 then).
  const [, variant, ...rest] = parts;
  if (parts[0] !== '' || !(variant === 'argon2id' || variant === 'argon2i' || variant === 'argon2d')) return undefined;
  const versioned = rest[0]?.startsWith('v=') ?? false;
  const version = versioned ? whole(rest[0]!.slice(2)) : 0x10;
  const [params, saltText, hashText] = versioned ? rest.slice(1) : rest;
  if (version === undefined || params === undefined || saltText === undefined || hashText === undefined || rest.length !== (versioned ? 4 : 3)) return undefined;
  const cost = Object.fromEntries(params.split(',').map((pair) => pair.split('=') as [string, string]));
  const m = whole(cost['m']);
  const t = whole(cost['t']);
  const p = whole(cost['p']);
  const salt = bytesOf(saltText);
  const hash = bytesOf(hashText);
  if (m === undefined || t === undefined || p === undefined || !salt || !hash) return undefined;
  if (t < 1 || p < 1 || m < 8 * p || m > MAX_MEMORY_KIB || salt.length < 8 || hash.length < 4) return undefined;
  return { variant, version, m, t, p, salt, hash };
};

/** Remembered argon2 results (key: the stored hash and a digest of the password; never the password). */
const remembered = new Map<string, boolean>();
const REMEMBER = 64;

const checkArgon2 = (stored: string, parsed: Argon2Hash, given: string): boolean => {
  const key = `${stored}\u0000${btoa(String.fromCharCode(...sha256(new TextEncoder().encode(given))))}`;
  const known = remembered.get(key);
  if (known !== undefined) return known;
  const derive = VARIANTS[parsed.variant];
  let ok: boolean;
  try {
    ok = equalBytes(derive(given, parsed.salt, { m: parsed.m, t: parsed.t, p: parsed.p, version: parsed.version, dkLen: parsed.hash.length }), parsed.hash);
  } catch {
    ok = false; // parameters the library refuses: no password matches
  }
  if (remembered.size >= REMEMBER) remembered.delete(remembered.keys().next().value!);
  remembered.set(key, ok);
  return ok;
};

/**
 * Whether `given` is the password stored for a user: an argon2 hash (as Directus stores it) is
 * verified; any other string is compared as plain text (fixtures).
 */
export const passwordMatches = (stored: unknown, given: string): boolean => {
  if (typeof stored !== 'string') return false;
  if (!stored.startsWith('$argon2')) return stored === given;
  const parsed = parseArgon2(stored);
  return parsed !== undefined && checkArgon2(stored, parsed, given); // a malformed hash matches nothing
};
