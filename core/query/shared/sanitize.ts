// A client's query (object form, or the SDK's string form) → a normalised Query, as Directus's
// sanitizeQuery + validateQuery do it. Filters stay raw here; compileFilter validates them.
import { DirectusError, invalidQuery, Silent, type Failure } from '../../errors.ts';
import type { JsonValue } from '../../types.ts';
import { isJsonObject as isPlainObject } from '../../json.ts';
import { DEFAULT_LIMITS, depthExceeded, relationalDepth, type QueryLimits } from './limits.ts';

export interface Query {
  readonly fields?: readonly string[];
  readonly filter?: unknown;
  readonly search?: string;
  readonly sort?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
  readonly page?: number;
  readonly meta?: readonly ('total_count' | 'filter_count')[];
  readonly group?: readonly string[];
  readonly aggregate?: Readonly<Record<string, readonly string[]>>;
  readonly deep?: Readonly<Record<string, unknown>>;
  readonly alias?: Readonly<Record<string, string>>;
  readonly backlink?: boolean;
}

/** Splits a CSV list, keeping commas inside parentheses (`json(a, b)`) together. */
export const splitFields = (input: string): string[] => {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
};

const toList = (value: unknown): string[] | undefined => {
  if (typeof value === 'string') return splitFields(value);
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? splitFields(v) : [String(v)]));
  return undefined;
};

/** Parses a JSON-string parameter; a bad string is "only logged" by Directus, so it is dropped. */
const jsonParam = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
};

const number = (value: unknown): number | undefined => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return value === undefined || value === null ? undefined : Number.NaN;
};

/** Joi's `number().integer().min(n)` check with Joi's message. */
const checkInteger = (name: string, value: number | undefined, min: number): DirectusError | undefined => {
  if (value === undefined) return undefined;
  if (Number.isNaN(value)) return invalidQuery(`"${name}" must be a number`);
  if (!Number.isInteger(value)) return invalidQuery(`"${name}" must be an integer`);
  if (value < min) return invalidQuery(`"${name}" must be greater than or equal to ${min}`);
  return undefined;
};

const sanitizeDeep = (raw: unknown): Record<string, unknown> | undefined => {
  const value = jsonParam(raw);
  if (!isPlainObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(value)) {
    if (key === '__proto__' || !isPlainObject(sub)) continue;
    const level: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sub)) {
      if (k === '__proto__') continue;
      // Keys starting with `_` are this level's query; the rest are nested relations.
      level[k] = k.startsWith('_') ? v : sanitizeDeep({ x: v })?.['x'];
    }
    out[key] = level;
  }
  return out;
};

/** Segments of the longest dotted path (`a.b.c` is 3). */
const pathDepth = (paths: readonly string[]): number => paths.reduce((max, p) => Math.max(max, p.split('.').length), 0);

/**
 * calculateFieldDepth of a `deep` object: nesting of keys not starting with `_` (a level's `_filter`
 * counts its fields too), and a level's `_sort` paths. Walked with a stack: a client may nest deeply.
 */
const deepDepth = (deep: unknown): number => {
  let max = 0;
  const stack: [unknown, number][] = [[deep, 0]];
  let visits = 0;
  while (stack.length > 0) {
    // A bound for a cyclic object from a caller in the same process (parsed JSON has no cycles).
    if (++visits > 1_000_000) return Infinity;
    const [value, depth] = stack.pop()!;
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth]);
      continue;
    }
    if (!isPlainObject(value)) continue;
    for (const [key, nested] of Object.entries(value)) {
      if (key === '_sort') {
        const sort = toList(nested) ?? [];
        max = Math.max(max, depth + pathDepth(sort));
      } else if (isPlainObject(nested) || Array.isArray(nested)) {
        const next = key.startsWith('_') ? depth : depth + 1;
        max = Math.max(max, next);
        stack.push([nested, next]);
      }
    }
  }
  return max;
};

/** validateRelationalDepth for `fields` (or `groupBy`, or none with an aggregate), `sort` and `deep`; the filter's is checked when it compiles. */
const exceedsDepth = (q: Query, limits: QueryLimits): boolean => {
  const max = relationalDepth(limits);
  const fields = q.group ?? (q.aggregate && Object.keys(q.aggregate).length > 0 ? [] : q.fields ?? []);
  return pathDepth(fields) > max || pathDepth(q.sort ?? []) > max || (q.deep !== undefined && deepDepth(q.deep) > max);
};

/**
 * Directus's sanitizeQuery for `limit` under QUERY_LIMIT_MAX: `-1` means the maximum, no limit means
 * the default capped by the maximum. Deep levels are sanitized the same way.
 */
const cappedLimit = (limit: number | undefined, limits: QueryLimits): number | undefined => {
  if (!Number.isFinite(limits.queryLimitMax) || limits.queryLimitMax < 0) return limit;
  if (limit === undefined) return Math.min(limits.queryLimitDefault, limits.queryLimitMax);
  return limit === -1 ? limits.queryLimitMax : limit;
};

/**
 * Normalises a query. `undefined`/`null` is the empty query. Returns a Failure where Directus would
 * answer an error (INVALID_QUERY) or nothing at all (a query that is not an object, `meta: true`).
 * `deepLevel`: a `deep` level's query, which Directus does not hold to QUERY_LIMIT_MAX's maximum.
 */
export const sanitizeQuery = (raw: unknown, limits: QueryLimits = DEFAULT_LIMITS, deepLevel = false): Query | Failure => {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) return Array.isArray(raw) ? {} : new Silent('query is not an object');
  const q: { -readonly [K in keyof Query]: Query[K] } = {};

  // Directus reads `fields` only when truthy: `fields=` (empty) means the default `*`.
  if (raw['fields']) {
    const fields = toList(raw['fields']);
    if (!fields) return invalidQuery('"fields" must be a string or array');
    q.fields = fields;
  }
  if ('sort' in raw) {
    const sort = toList(raw['sort']);
    if (sort) q.sort = sort;
  }
  // Directus ignores any falsy filter (`0`, `false`, `""`).
  if ('filter' in raw && raw['filter']) {
    let filter = raw['filter'];
    if (typeof filter === 'string') {
      try {
        filter = JSON.parse(filter);
      } catch {
        return invalidQuery('Invalid JSON for filter object');
      }
    }
    q.filter = filter;
  }
  if (typeof raw['search'] === 'string') q.search = raw['search'].trim() === '' ? raw['search'] : raw['search'].trim();

  const limit = cappedLimit(number(raw['limit']), limits);
  const offset = number(raw['offset']);
  const page = number(raw['page']);
  if (limit !== undefined) q.limit = limit;
  if (offset !== undefined) q.offset = offset;
  if (page !== undefined && page !== 0 && !Number.isNaN(page)) q.page = page;

  if ('meta' in raw && raw['meta'] !== undefined) {
    const meta = raw['meta'];
    if (typeof meta !== 'string' && !Array.isArray(meta)) return new Silent('meta is not a string or array');
    const list = meta === '*' ? ['total_count', 'filter_count'] : toList(meta) ?? [];
    const bad = list.findIndex((m) => m !== 'total_count' && m !== 'filter_count');
    if (bad >= 0) return invalidQuery(`"meta[${bad}]" must be one of [total_count, filter_count]`);
    q.meta = list as Query['meta'];
  }
  const group = toList(raw['groupBy']);
  if (group) q.group = group;

  const aggregate = jsonParam(raw['aggregate']);
  if (isPlainObject(aggregate)) {
    const out: Record<string, string[]> = {};
    for (const [fn, fields] of Object.entries(aggregate)) {
      const list = toList(fields);
      if (list && fn !== '__proto__') out[fn] = list;
    }
    q.aggregate = out;
  }
  const deep = sanitizeDeep(raw['deep']);
  if (deep) q.deep = deep;
  const alias = jsonParam(raw['alias']);
  if (isPlainObject(alias)) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(alias)) if (typeof v === 'string' && k !== '__proto__') out[k] = v;
    q.alias = out;
  }
  if ('backlink' in raw) q.backlink = raw['backlink'] !== false && raw['backlink'] !== 'false';

  // validateQuery: relational depth, then Joi's checks on the normalised values.
  if (exceedsDepth(q, limits)) return depthExceeded();
  const max = limits.queryLimitMax;
  const tooMany = !deepLevel && q.limit !== undefined && Number.isFinite(max) && max >= 0 && q.limit > max
    ? invalidQuery(`"limit" must be less than or equal to ${max}`) : undefined;
  return checkInteger('limit', q.limit, -1) ?? tooMany ?? checkInteger('offset', q.offset, 0) ??
    checkInteger('page', q.page, 0) ?? q;
};

/** A deep level's `_`-prefixed keys as a raw query object, for sanitizeQuery. */
export const deepLevelQuery = (level: unknown): Record<string, JsonValue> => {
  const out: Record<string, JsonValue> = {};
  if (!isPlainObject(level)) return out;
  for (const [k, v] of Object.entries(level)) {
    if (k.startsWith('_') && k.length > 1) out[k.slice(1) === 'groupBy' ? 'groupBy' : k.slice(1)] = v as JsonValue;
  }
  return out;
};
