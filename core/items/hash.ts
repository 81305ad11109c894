// `hash` fields: Directus stores argon2id(String(value)) for any truthy value written. Standin computes
// a real argon2id (so argon2.verify accepts it) with a salt from the state's seed, at a small cost
// (m=256 KiB, t=1, p=1, written into the encoded string) so a write stays a few milliseconds.
import { argon2id } from '@noble/hashes/argon2.js';
import { randomHex } from '../random.ts';

const COST = { m: 256, t: 1, p: 1 } as const;

const base64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, '');
};

const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));

/** The PHC string Directus stores for `text`, and the advanced seed. */
export const hashValue = (text: string, seed: number): [string, number] => {
  const [saltHex, next] = randomHex(seed, 16);
  const salt = fromHex(saltHex);
  const digest = argon2id(text, salt, { ...COST, dkLen: 32 });
  return [`$argon2id$v=19$m=${COST.m},t=${COST.t},p=${COST.p}$${base64(salt)}$${base64(digest)}`, next];
};
