// Directus's parseFilter (packages/utils/shared/parse-filter.ts), on a typed tree instead of objects:
// several keys become `_and`, a bare value `v` becomes `_eq: v`, list operators take CSV strings,
// dynamic variables are resolved, "true"/"false"/"null" strings are coerced, and logical operators
// nested under a field are hoisted above it. Client keys are only ever kept as strings in the tree,
// never used as property names, so `__proto__` and friends are just (unknown) field names.
import { invalidQuery, type DirectusError } from '../../errors.ts';
import type { Accountability, Item } from '../../types.ts';
import type { QueryContext } from '../shared/context.ts';
import { adjustNow } from './dates.ts';
import { Instant } from './values.ts';
import { jsonValueThrows, normalizeJsonFilter } from './json-filter.ts';

export type FilterNode =
  /** `{}`: adds no constraint. */
  | { readonly t: 'empty' }
  /** A bare `null` where a filter object was expected. */
  | { readonly t: 'null' }
  | { readonly t: 'logic'; readonly op: '_and' | '_or'; readonly items: readonly FilterNode[] }
  /** `{ key: value }` where key is a field, a relation, or `fn(field)`. */
  | { readonly t: 'field'; readonly key: string; readonly value: FilterNode }
  /** `{ _op: value }` with the value resolved and coerced. */
  | { readonly t: 'op'; readonly op: string; readonly value: unknown }
  | { readonly t: 'quant'; readonly op: '_some' | '_none'; readonly value: FilterNode };

/** Far beyond any real filter; deeper input is refused before it can exhaust the stack. */
const MAX_NESTING = 300;

/** Thrown inside the parser; becomes Directus's "Invalid filter object". */
class InvalidFilter {}

const LISTS = new Set(['_in', '_nin', '_between', '_nbetween']);
const GEOMETRY = new Set(['_intersects', '_nintersects', '_intersects_bbox', '_nintersects_bbox']);

const isObjectLike = (value: unknown): value is object => typeof value === 'object' && value !== null;

const entries = (value: object): [string, unknown][] => Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);

const coerce = (value: unknown, depth: number): unknown => {
  if (depth > MAX_NESTING) throw new InvalidFilter();
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === 'null' || value === 'NULL') return null;
  return Array.isArray(value) ? value.map((v) => coerce(v, depth + 1)) : value;
};

/** Fields holding the id of another system record, followed by `$CURRENT_USER.role.name` and the like. */
const RELATED: Readonly<Record<string, string>> = { role: 'directus_roles', parent: 'directus_roles' };

const record = (ctx: QueryContext, collection: string, id: unknown): Item | undefined =>
  id === null || id === undefined ? undefined : ctx.data.system[collection]?.find((r) => r['id'] === id);

/** `a.b…` read from a system record (null when any step is missing). */
const systemPath = (ctx: QueryContext, start: Item | undefined, path: readonly string[]): unknown => {
  let value: unknown = start;
  let via: string | null = null;
  for (const part of path) {
    if (via !== null && (typeof value === 'string' || typeof value === 'number')) value = record(ctx, via, value);
    if (!isObjectLike(value) || Array.isArray(value) || !Object.hasOwn(value, part)) return null;
    value = (value as Record<string, unknown>)[part];
    via = Object.hasOwn(RELATED, part) ? RELATED[part]! : null;
  }
  return value ?? null;
};

/** The path after `prefix.` in `$CURRENT_USER.role.name` and the like (null without one). */
const subPath = (value: string, prefix: string): string[] | null =>
  value.startsWith(`${prefix}.`) ? value.slice(prefix.length + 1).split('.') : null;

/**
 * `$CURRENT_…` variables: the caller's id (or ids) and the system collection a `.path` after it reads.
 * `$CURRENT_ROLES` stands before `$CURRENT_ROLE`, which is a prefix of it.
 */
const USER_VARIABLES: readonly (readonly [string, string, (who: Accountability) => string | null | readonly string[]])[] = [
  ['$CURRENT_USER', 'directus_users', (who) => who.user],
  ['$CURRENT_ROLES', 'directus_roles', (who) => who.roles],
  ['$CURRENT_ROLE', 'directus_roles', (who) => who.role],
  ['$CURRENT_POLICIES', 'directus_policies', (who) => who.policies],
];

/** parseDynamicVariable: `$NOW…`, `$CURRENT_USER…`, `$CURRENT_ROLE(S)…`, `$CURRENT_POLICIES…`. */
const dynamic = (value: unknown, ctx: QueryContext): unknown => {
  if (typeof value !== 'string' || !value.startsWith('$')) return value;
  const { accountability: who } = ctx;
  if (value.startsWith('$NOW')) {
    if (!value.includes('(') || !value.includes(')')) return new Instant(ctx.now);
    const adjustment = /\(([^)]+)\)/.exec(value)?.[1];
    return new Instant(adjustment === undefined ? ctx.now : adjustNow(ctx.now, adjustment));
  }
  for (const [name, collection, ids] of USER_VARIABLES) {
    if (!value.startsWith(name)) continue;
    const id = ids(who);
    if (value === name) return typeof id === 'object' && id !== null ? [...id] : id ?? null;
    const path = subPath(value, name);
    if (!path) return null;
    return typeof id === 'object' && id !== null
      ? id.map((key) => systemPath(ctx, record(ctx, collection, key), path))
      : systemPath(ctx, record(ctx, collection, id), path);
  }
  return value;
};

/** parseFilter's deepMap coercion, into objects too (a `_json` value is one). */
const coerceDeep = (value: unknown, depth: number): unknown => {
  if (depth > MAX_NESTING) throw new InvalidFilter();
  if (Array.isArray(value)) return value.map((v) => coerceDeep(v, depth + 1));
  if (isObjectLike(value) && !(value instanceof Instant)) {
    return Object.fromEntries(entries(value).map(([k, v]) => [k, coerceDeep(v, depth + 1)]));
  }
  return coerce(value, depth);
};

const parseNode = (value: unknown, ctx: QueryContext, depth: number): FilterNode => {
  if (depth > MAX_NESTING) throw new InvalidFilter();
  if (value === null || value === undefined) return { t: 'null' };
  if (!isObjectLike(value)) return { t: 'op', op: '_eq', value: coerce(dynamic(value, ctx), depth) };
  const list = entries(value);
  if (list.length === 0) return { t: 'empty' };
  if (list.length === 1) return parseEntry(list[0]!, ctx, depth);
  return { t: 'logic', op: '_and', items: list.map((entry) => parseEntry(entry, ctx, depth + 1)) };
};

const parseEntry = ([key, value]: [string, unknown], ctx: QueryContext, depth: number): FilterNode => {
  if (key === '_and' || key === '_or') {
    if (!Array.isArray(value)) throw new InvalidFilter();
    return { t: 'logic', op: key, items: value.map((item) => parseNode(item, ctx, depth + 1)) };
  }
  if (LISTS.has(key)) {
    // An object (qs turns long arrays into objects) gives its values; a string is CSV; a scalar is wrapped.
    const raw = isObjectLike(value) && !Array.isArray(value) ? Object.values(value) : value;
    const list: unknown[] = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : [raw];
    return { t: 'op', op: key, value: coerce(list.flatMap((v) => dynamic(v, ctx)), depth) };
  }
  if (GEOMETRY.has(key) && typeof value === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InvalidFilter();
    }
    return { t: 'op', op: key, value: coerce(parsed, depth) };
  }
  if (key === '_json') {
    if (jsonValueThrows(value)) throw new InvalidFilter();
    return { t: 'op', op: key, value: coerceDeep(normalizeJsonFilter(value, (v) => dynamic(v, ctx)), depth) };
  }
  if (key === '_some' || key === '_none') return { t: 'quant', op: key, value: parseNode(value, ctx, depth + 1) };
  // `__proto__` is never an operator: it stays a (nonexistent) field, refused as FORBIDDEN.
  if (key.startsWith('_') && key !== '__proto__') return { t: 'op', op: key, value: coerce(dynamic(value, ctx), depth) };
  return { t: 'field', key, value: parseNode(value, ctx, depth + 1) };
};

/** `{key: child}` with `_and`/`_or` in an (already hoisted) child moved above the key. */
const hoistField = (key: string, child: FilterNode): FilterNode =>
  child.t === 'logic' ? { t: 'logic', op: child.op, items: child.items.map((item) => hoistField(key, item)) } : { t: 'field', key, value: child };

const hoist = (node: FilterNode): FilterNode => {
  switch (node.t) {
    case 'null': throw new InvalidFilter(); // Directus reads the keys of null here and fails.
    case 'logic': return { t: 'logic', op: node.op, items: node.items.map(hoist) };
    case 'field': return hoistField(node.key, hoist(node.value));
    // Directus leaves `_some`/`_none` bodies as parsed; hoisting them too keeps `_some: {a: {_gt, _lt}}` meaningful.
    case 'quant': return { t: 'quant', op: node.op, value: hoist(node.value) };
    default: return node;
  }
};

/**
 * The parsed filter, null for no filter (null/undefined), or INVALID_QUERY "Invalid filter object"
 * for anything parseFilter would choke on (a non-object filter, `_and` that is not an array, …).
 */
export const parseFilter = (filter: unknown, ctx: QueryContext): FilterNode | null | DirectusError => {
  if (filter === null || filter === undefined) return null;
  // An array (`filter=…&filter[a]=…` in a query string) is an object keyed "0", "1", … as in lodash.
  if (!isObjectLike(filter)) return invalidQuery('Invalid filter object');
  try {
    return hoist(parseNode(filter, ctx, 0));
  } catch (error) {
    if (error instanceof InvalidFilter || error instanceof RangeError) return invalidQuery('Invalid filter object');
    throw error;
  }
};
