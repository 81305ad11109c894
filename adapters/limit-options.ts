// Directus's limits by their own names: `--max-relational-depth` or MAX_RELATIONAL_DEPTH, and so on
// (a flag wins over the environment). Values are whole numbers; `Infinity` lifts a limit that may be.
import type { Config } from '../core/index.ts';

type Limit = keyof Pick<Config, 'maxRelationalDepth' | 'queryLimitDefault' | 'queryLimitMax' | 'maxBatchMutation' | 'maxQueryCost'>;

const LIMITS: readonly { flag: string; env: string; key: Limit; unbounded: boolean }[] = [
  { flag: 'max-relational-depth', env: 'MAX_RELATIONAL_DEPTH', key: 'maxRelationalDepth', unbounded: false },
  { flag: 'query-limit-default', env: 'QUERY_LIMIT_DEFAULT', key: 'queryLimitDefault', unbounded: false },
  { flag: 'query-limit-max', env: 'QUERY_LIMIT_MAX', key: 'queryLimitMax', unbounded: true },
  { flag: 'max-batch-mutation', env: 'MAX_BATCH_MUTATION', key: 'maxBatchMutation', unbounded: true },
  { flag: 'max-query-cost', env: 'MAX_QUERY_COST', key: 'maxQueryCost', unbounded: true },
];

/** The limits given by flag or environment, as Config members; throws a one-line message for a bad value. */
export const limitsFrom = (flags: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): Partial<Config> => {
  const out: Partial<Record<Limit, number>> = {};
  for (const { flag, env: name, key, unbounded } of LIMITS) {
    const raw = typeof flags[flag] === 'string' ? (flags[flag] as string) : env[name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!(unbounded && n === Infinity) && (!Number.isInteger(n) || n < 1)) {
      throw new Error(`--${flag} (${name}) needs a positive whole number${unbounded ? ' or Infinity' : ''}, got "${raw}"`);
    }
    out[key] = n;
  }
  return out;
};
