// A query Directus only sanitized (REST's by-query writes never validate the body's `query`) reaches
// knex with whatever numbers it holds: knex reads `limit` and `offset` with parseInt, ignores what is
// not a number and throws on a negative offset. This gives such a query the window knex would run.
import { Silent } from '../../errors.ts';
import type { Query } from './sanitize.ts';

const NEGATIVE_OFFSET = 'A non-negative integer must be provided to offset.';

/** knex's parseInt of a bound number (NaN when knex would ignore it). */
const knexInt = (value: number): number => parseInt(String(value), 10);

/** A knex offset: ignored when not a number, refused (a 500, no WebSocket reply) when negative. */
const offsetOf = (value: number): number | Silent => {
  const n = knexInt(value);
  if (Number.isNaN(n)) return 0;
  return n < 0 ? new Silent(NEGATIVE_OFFSET) : n;
};

/**
 * `limit`, `offset` and `page` as Directus's applyQuery hands them to knex: the limit as parsed (a
 * limit knex ignores, or SQLite's negative one, reads every row), a truthy offset, then a page (with
 * a limit other than -1) whose offset replaces it.
 */
export const knexWindow = (query: Query): Query | Silent => {
  const { limit, offset, page } = query;
  const parsedLimit = limit === undefined ? undefined : knexInt(limit);
  let start = 0;
  if (offset) {
    const o = offsetOf(offset);
    if (o instanceof Silent) return o;
    start = o;
  }
  if (page && limit && limit !== -1) {
    const o = offsetOf(limit * (page - 1));
    if (o instanceof Silent) return o;
    start = o;
  }
  const window = { ...query, offset: start, page: undefined };
  if (parsedLimit === undefined) return window;
  return { ...window, limit: Number.isNaN(parsedLimit) || parsedLimit < 0 ? -1 : parsedLimit };
};
