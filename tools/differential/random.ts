// A seeded random source (mulberry32): the same seed gives the same requests.
export interface Random {
  readonly next: () => number;
  readonly int: (below: number) => number;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly chance: (p: number) => boolean;
  readonly some: <T>(items: readonly T[], max: number) => T[];
}

export const createRandom = (seed: number): Random => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;
  const some = <T>(items: readonly T[], max: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    const n = 1 + int(Math.min(max, pool.length));
    while (out.length < n && pool.length) out.push(pool.splice(int(pool.length), 1)[0]!);
    return out;
  };
  return { next, int, pick, chance, some };
};
