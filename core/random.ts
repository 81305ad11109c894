// Deterministic randomness: the state carries a 32-bit seed, and every new UUID or token advances it.
// The adapter seeds the state from real entropy; replaying the same inputs gives the same outputs.

/** mulberry32: one 32-bit step → [value, next seed]. */
const step = (seed: number): [number, number] => {
  const next = (seed + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [(t ^ (t >>> 14)) >>> 0, next];
};

/** `count` random bytes as hex, and the advanced seed. */
export const randomHex = (seed: number, bytes: number): [string, number] => {
  let out = '';
  let s = seed;
  while (out.length < bytes * 2) {
    const [value, next] = step(s);
    s = next;
    out += value.toString(16).padStart(8, '0');
  }
  return [out.slice(0, bytes * 2), s];
};

/** A version-4 UUID. */
export const nextUuid = (seed: number): [string, number] => {
  const [hex, next] = randomHex(seed, 16);
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return [`${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`, next];
};
