// The cost of a password check: plain text (fixtures) against argon2 hashes as the `argon2` package
// writes them, at a fixture-sized cost and at Directus's default (64 MiB, 3 passes, 4 lanes). Each
// round uses another password, so nothing is served from the remembered results.
import { passwordMatches } from '../core/access/password.ts';

const CHEAP = '$argon2id$v=19$m=1024,t=1,p=1$RRbGm3F94Xy2h9xognCMFg$fpU+HoPhgqRla76k5bnA5nvNSX0jXaF+p3wSE+/XgBM';
const DIRECTUS = '$argon2id$v=19$m=65536,t=3,p=4$eGsQB+KaCSH1aqbTymb17g$7SncgconPS7+wExxxvnw07VUBHAaK7ljdjoeNmwtkd4';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let n = 0;
const time = (stored: string): number => {
  const started = performance.now();
  passwordMatches(stored, `wrong ${++n}`);
  return performance.now() - started;
};

export const benchPassword = () => {
  // The admin row of the oracle's Directus database: its password is `admin`.
  if (!passwordMatches(DIRECTUS, 'admin')) throw new Error('the Directus admin hash did not verify');
  const plain: number[] = [];
  const cheap: number[] = [];
  const directus: number[] = [];
  // The three take turns, so a busy moment of the shared machine hits all of them.
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < 1000; i++) passwordMatches('admin', `wrong ${i}`);
    plain.push((performance.now() - started) / 1000);
    cheap.push(time(CHEAP));
    directus.push(time(DIRECTUS));
  }
  const result = { plain_ms: median(plain), argon2id_1mib_t1_ms: median(cheap), argon2id_directus_default_ms: median(directus) };
  return { ...result, directus_default_vs_1mib: result.argon2id_directus_default_ms / result.argon2id_1mib_t1_ms };
};
