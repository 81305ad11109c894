// A client's query (object form, or the SDK's string form) → a normalised Query, as Directus's
// sanitizeQuery + validateQuery do it, step by step in Directus's order so that the first problem is
// the one Directus reports. Filters stay raw here: `checkQuery` (validate-query.ts) parses them.
import { DirectusError, invalidQuery, Silent, type Failure } from '../../errors.ts';
import type { JsonValue } from '../../types.ts';
import { isJsonObject as isPlainObject } from '../../json.ts';
import { DEFAULT_LIMITS, LIKE_PATTERN_MAX_BYTES, type QueryLimits } from './limits.ts';

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
  /**
   * An aggregate function was given neither a list nor a comma string (`{"count": 5}`): Directus keeps
   * the value and fails iterating it ("fields is not iterable") once the read starts.
   */
  readonly aggregateNotIterable?: boolean;
  readonly deep?: Readonly<Record<string, unknown>>;
  readonly alias?: Readonly<Record<string, string>>;
  readonly backlink?: boolean;
}

/** What sanitizing keeps besides the query: the parts validateQuery checks in their raw form. */
export interface Sanitized {
  readonly query: Query;
  /** The `alias` parameter after JSON parsing, before validateAlias. */
  readonly alias?: unknown;
  /** `aggregate` parsed to something that is not an object (Joi: "must be of type object"). */
  readonly aggregateNotObject?: boolean;
  /** The `meta` list as sent, before Joi checks its values. */
  readonly meta?: readonly unknown[];
  /** `export` as sent, when truthy (checked here; REST answers csv, csv_utf8 and json as a file: rest/export.ts). */
  readonly export?: unknown;
  /** `version` as sent, when truthy (content versions are not modelled; Joi wants a string). */
  readonly version?: unknown;
}

const EXPORT_FORMATS = ['csv', 'csv_utf8', 'json', 'xml', 'yaml'];

/** Parses a filter the way Directus's parseFilter does; its error is reported in sanitize order. */
export type FilterCheck = (filter: unknown) => DirectusError | null;

/**
 * Splits a CSV list, keeping commas inside parentheses (`json(a, b)`) together; empty entries stay.
 * An array is walked entry by entry as a string is walked character by character (entries other
 * than "(", ")" and "," joined as `+=` joins them), as Directus's loop does with either.
 */
const splitStrict = (input: Iterable<unknown>): string[] | DirectusError => {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') {
      depth++;
      if (depth > 1) return invalidQuery('Nested functions are not supported in "fields"');
    } else if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += String(ch);
  }
  if (depth !== 0) return invalidQuery('Missing closing parenthesis in "fields"');
  out.push(current);
  return out;
};

/** Splits a CSV list into its non-empty, trimmed entries (for internal lists such as a permission's fields). */
export const splitFields = (input: string): string[] => {
  const parts = splitStrict(input);
  return (parts instanceof DirectusError ? input.split(',') : parts).map((s) => s.trim()).filter((s) => s.length > 0);
};

/**
 * V8's TypeError for `entry.<method>(…)` on an entry that is no string: a 500 over REST showing these
 * words (to admins), nothing over WebSocket. Arrays have `includes` (not `trim`).
 */
const notCallable = (entry: unknown, method: 'includes' | 'trim'): Silent | undefined => {
  if (typeof entry === 'string' || (method === 'includes' && Array.isArray(entry))) return undefined;
  return new Silent(entry === null || entry === undefined
    ? `Cannot read properties of ${String(entry)} (reading '${method}')`
    : `field.${method} is not a function`);
};

/** Each entry trimmed, or V8's TypeError for the first that is no string. */
const trimmedAll = (parts: readonly unknown[]): string[] | Failure => {
  const out: string[] = [];
  for (const part of parts) {
    const failed = notCallable(part, 'trim');
    if (failed) return failed;
    out.push((part as string).trim());
  }
  return out;
};

/**
 * sanitizeFields (also used for groupBy): a string is split; an array's entries that contain a comma
 * are split (every entry is asked first), array entries spread (lodash `flatten`), then each is trimmed.
 */
const fieldList = (value: unknown): string[] | Failure => {
  let parts: unknown[];
  if (typeof value === 'string') {
    const split = splitStrict(value);
    if (split instanceof DirectusError) return split;
    parts = split;
  } else if (Array.isArray(value)) parts = value;
  else return invalidQuery('"fields" must be a string or array');
  const flat: unknown[] = [];
  for (const part of parts) {
    const failed = notCallable(part, 'includes');
    if (failed) return failed;
    if (!(part as string | unknown[]).includes(',')) {
      // lodash's flatten then spreads an array entry into its own entries.
      if (Array.isArray(part)) flat.push(...(part as unknown[]));
      else flat.push(part);
      continue;
    }
    const split = splitStrict(part as string | unknown[]);
    if (split instanceof DirectusError) return split;
    flat.push(...split);
  }
  return trimmedAll(flat);
};

/** sanitizeSort: a string is split, an array kept, anything else is no sort; each entry is trimmed. */
const sortList = (value: unknown): string[] | Failure => {
  if (typeof value === 'string') {
    const split = splitStrict(value);
    return split instanceof DirectusError ? split : split.map((s) => s.trim());
  }
  return Array.isArray(value) ? trimmedAll(value) : [];
};

/** JSON.parse, or undefined when the text is not JSON (Directus only logs that). */
const parseJson = (text: string): { value: unknown } | undefined => {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
};

/** JavaScript's `Number(value)`, which Directus applies to limit, offset and page. */
const toNumber = (value: unknown): number => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'boolean') return Number(value);
  if (value === null) return 0;
  if (Array.isArray(value)) return value.length === 0 ? 0 : value.length === 1 ? toNumber(String(value[0] ?? '')) : Number.NaN;
  return Number.NaN;
};

const aggregateOf = (raw: unknown): { aggregate?: Record<string, string[]>; notObject?: boolean; notIterable?: boolean } | Failure => {
  let value = raw;
  if (typeof raw === 'string') {
    const parsed = parseJson(raw);
    // An unparsable string stays a string, and writing into it throws.
    if (!parsed) return new Silent('aggregate is not JSON');
    value = parsed.value;
  }
  if (value === null) return new Silent('aggregate is null');
  if (!isPlainObject(value)) return { notObject: true };
  const out: Record<string, string[]> = {};
  let notIterable = false;
  for (const [fn, fields] of Object.entries(value)) {
    if (fn === '__proto__') continue;
    if (typeof fields === 'string') out[fn] = fields.split(',');
    else if (Array.isArray(fields)) out[fn] = fields.filter((f): f is string => typeof f === 'string');
    else notIterable = true;
  }
  return notIterable ? { aggregate: out, notIterable } : { aggregate: out };
};

/** sanitizeMeta: `*`, a comma list, an array, or one name; anything else throws in Directus. */
const metaList = (raw: unknown): unknown[] | Failure => {
  if (raw === '*') return ['total_count', 'filter_count'];
  if (typeof raw === 'string') return raw.includes(',') ? raw.split(',') : [raw];
  if (Array.isArray(raw)) return raw.includes(',') ? new Silent('meta array holds ","') : raw;
  return new Silent('meta is not a string or array');
};

/** One level of sanitizeDeep: nested relations kept, the level's `_` keys sanitized as a query of their own. */
const deepLevel = (level: unknown, root: boolean, checkFilter: FilterCheck | undefined): Record<string, unknown> | Failure => {
  const node: Record<string, unknown> = {};
  const sub: Record<string, unknown> = {};
  if (typeof level !== 'object' || level === null) return node;
  for (const [key, child] of Object.entries(level)) {
    if (!key) break;
    if (key === '__proto__') continue;
    if (key.startsWith('_')) sub[key] = child;
    else if (isPlainObject(child)) {
      const nested = deepLevel(child, false, checkFilter);
      if (nested instanceof DirectusError || nested instanceof Silent) return nested;
      if (Object.keys(nested).length > 0) node[key] = nested;
    }
  }
  if (!root && Object.keys(sub).length > 0) {
    const checked = sanitizeRaw(deepLevelQuery(sub), checkFilter);
    if (checked instanceof DirectusError || checked instanceof Silent) return checked;
    // The level keeps its raw `_` values: the read sanitizes them again for its own collection.
    Object.assign(node, sub);
  }
  return node;
};

/** sanitizeDeep: a JSON string is parsed (an unparsable one is only logged), then each level is checked. */
const sanitizeDeep = (raw: unknown, checkFilter: FilterCheck | undefined): Record<string, unknown> | Failure =>
  deepLevel(typeof raw === 'string' ? parseJson(raw)?.value ?? raw : raw, true, checkFilter);

/**
 * Directus trims `search`. One longer than SQLite's LIKE limit fails when the query runs (read/search.ts)
 * and is left as it is: trimming reads the whole string, and a search of megabytes may arrive as a
 * string in pieces that trimming would copy whole, holding every other client for as long. (Only a
 * search padded with more than 50,000 spaces could trim below the limit: it fails here too.)
 */
const trimmedSearch = (search: string): string =>
  search.length + 2 > LIKE_PATTERN_MAX_BYTES ? search : search.trim() || search;

const isFailed = (v: unknown): v is Failure => v instanceof DirectusError || v instanceof Silent;

/**
 * Directus's sanitizeQuery: normalises each parameter in its order, failing where it throws
 * (INVALID_QUERY, or a Silent where a JavaScript exception makes Directus answer nothing / a 500).
 */
/**
 * Directus's sanitizeQuery for `limit` under QUERY_LIMIT_MAX: `-1` means the maximum, no limit means
 * the default capped by the maximum (deep levels the same way).
 */
const cappedLimit = (limit: number | undefined, limits: QueryLimits): number | undefined => {
  if (!Number.isFinite(limits.queryLimitMax) || limits.queryLimitMax < 0) return limit;
  if (limit === undefined) return Math.min(limits.queryLimitDefault, limits.queryLimitMax);
  return limit === -1 ? limits.queryLimitMax : limit;
};

export const sanitizeRaw = (raw: unknown, checkFilter?: FilterCheck, limits: QueryLimits = DEFAULT_LIMITS): Sanitized | Failure => {
  if (raw === undefined || raw === null) return { query: {} };
  if (!isPlainObject(raw)) return Array.isArray(raw) ? { query: {} } : new Silent('query is not an object');
  const q: { -readonly [K in keyof Query]: Query[K] } = {};
  const out: { -readonly [K in keyof Sanitized]: Sanitized[K] } = { query: q };

  const limit = cappedLimit(raw['limit'] !== undefined && raw['limit'] !== null ? toNumber(raw['limit']) : undefined, limits);
  if (limit !== undefined) q.limit = limit;
  if (raw['fields']) {
    const fields = fieldList(raw['fields']);
    if (isFailed(fields)) return fields;
    q.fields = fields;
  }
  if (raw['groupBy']) {
    const group = fieldList(raw['groupBy']);
    if (isFailed(group)) return group;
    q.group = group;
  }
  if (raw['export']) out.export = raw['export'];
  if (raw['aggregate']) {
    const aggregate = aggregateOf(raw['aggregate']);
    if (isFailed(aggregate)) return aggregate;
    if (aggregate.aggregate) q.aggregate = aggregate.aggregate;
    if (aggregate.notIterable) q.aggregateNotIterable = true;
    if (aggregate.notObject) out.aggregateNotObject = true;
  }
  if (raw['sort']) {
    const sort = sortList(raw['sort']);
    if (isFailed(sort)) return sort;
    q.sort = sort;
  }
  if (raw['filter']) {
    let filter: unknown = raw['filter'];
    if (typeof filter === 'string') {
      const parsed = parseJson(filter);
      if (!parsed) return invalidQuery('Invalid JSON for filter object');
      filter = parsed.value;
    }
    const invalid = checkFilter?.(filter);
    if (invalid) return invalid;
    q.filter = filter;
  }
  if (raw['offset'] !== undefined) q.offset = toNumber(raw['offset']);
  if (raw['page']) q.page = toNumber(raw['page']);
  if (raw['meta']) {
    const meta = metaList(raw['meta']);
    if (isFailed(meta)) return meta;
    out.meta = meta;
    q.meta = meta.filter((m): m is 'total_count' | 'filter_count' => m === 'total_count' || m === 'filter_count');
  }
  if (raw['search'] && typeof raw['search'] === 'string') q.search = trimmedSearch(raw['search']);
  if (raw['version']) out.version = raw['version'];
  if (raw['deep']) {
    const deep = sanitizeDeep(raw['deep'], checkFilter);
    if (isFailed(deep)) return deep;
    q.deep = deep;
  }
  if (raw['alias']) {
    const alias = typeof raw['alias'] === 'string' ? parseJson(raw['alias'])?.value ?? raw['alias'] : raw['alias'];
    out.alias = alias;
    if (isPlainObject(alias)) {
      const kept: Record<string, string> = {};
      for (const [k, v] of Object.entries(alias)) if (typeof v === 'string' && k !== '__proto__') kept[k] = v;
      q.alias = kept;
    }
  }
  if ('backlink' in raw) q.backlink = raw['backlink'] !== false && raw['backlink'] !== 'false';
  return out;
};

// ------------------------------------------------------------------ validateQuery

/** Joi's `number().integer().min(min)` with Joi's messages. */
const numberError = (name: string, value: number | undefined, min: number): DirectusError | null => {
  if (value === undefined) return null;
  if (Number.isNaN(value)) return invalidQuery(`"${name}" must be a number`);
  if (!Number.isFinite(value)) return invalidQuery(`"${name}" cannot be infinity`);
  if (!Number.isSafeInteger(Math.trunc(value))) return invalidQuery(`"${name}" must be a safe number`);
  if (!Number.isInteger(value)) return invalidQuery(`"${name}" must be an integer`);
  if (value < min) return invalidQuery(`"${name}" must be greater than or equal to ${min}`);
  return null;
};

const emptyEntry = (name: string, list: readonly string[] | undefined): DirectusError | null => {
  const at = list ? list.indexOf('') : -1;
  return at >= 0 ? invalidQuery(`"${name}[${at}]" is not allowed to be empty`) : null;
};

/** The first problem Joi's query schema finds, in the schema's key order. */
/** QUERY_LIMIT_MAX as Joi's `max()` on `limit` (Directus holds only the top level to it). */
const limitMaxError = (limit: number | undefined, limits: QueryLimits): DirectusError | null => {
  const max = limits.queryLimitMax;
  return limit !== undefined && Number.isFinite(max) && max >= 0 && limit > max ? invalidQuery(`"limit" must be less than or equal to ${max}`) : null;
};

export const joiError = (s: Sanitized, limits?: QueryLimits): DirectusError | null => {
  const q = s.query;
  const badMeta = s.meta ? s.meta.findIndex((m) => m !== 'total_count' && m !== 'filter_count') : -1;
  return emptyEntry('fields', q.fields) ?? emptyEntry('group', q.group) ?? emptyEntry('sort', q.sort)
    ?? numberError('limit', q.limit, -1) ?? (limits ? limitMaxError(q.limit, limits) : null) ?? numberError('offset', q.offset, 0) ?? numberError('page', q.page, 0)
    ?? (badMeta >= 0 ? invalidQuery(`"meta[${badMeta}]" must be one of [total_count, filter_count]`) : null)
    // Joi's `valid()` list is checked before the type: a number is "not one of" too.
    ?? (s.export !== undefined && !EXPORT_FORMATS.includes(s.export as string) ? invalidQuery(`"export" must be one of [${EXPORT_FORMATS.join(', ')}]`) : null)
    ?? (s.version !== undefined && typeof s.version !== 'string' ? invalidQuery('"version" must be a string') : null)
    ?? (s.aggregateNotObject ? invalidQuery('"aggregate" must be of type object') : null);
};

/** validateAlias, with Directus's messages (its "given" names the key's type, always "string"). */
export const aliasError = (alias: unknown): DirectusError | null => {
  if (alias === undefined) return null;
  if (!isPlainObject(alias)) return invalidQuery('"alias" has to be an object');
  for (const [key, value] of Object.entries(alias)) {
    if (typeof value !== 'string') return invalidQuery('"alias" value has to be a string. "string" given');
    if (key.includes('.')) return invalidQuery('"alias" key can\'t contain a period character `.`');
    const fn = value.trim().endsWith(')') && value.includes('(') ? value.trim().split('(')[0] : null;
    if (fn !== 'json' && value.includes('.')) return invalidQuery('"alias" value can\'t contain a period character `.`');
  }
  return null;
};

/**
 * sanitizeQuery + validateQuery without a filter parser (nested levels, stored subscriptions): the
 * checks that do not need the schema. `checkQuery` is the full pipeline.
 */
export const sanitizeQuery = (raw: unknown, limits: QueryLimits = DEFAULT_LIMITS): Query | Failure => {
  const s = sanitizeRaw(raw, undefined, limits);
  if (isFailed(s)) return s;
  return aliasError(s.alias) ?? joiError(s) ?? s.query;
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
