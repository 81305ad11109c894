// The `_json` operator: conditions on values inside a json field, `{"meta": {"_json": {"nav": {"_eq": true}}}}`.
// Directus normalises the value (parseJsonFilterValue), validates it (validateJsonFilter) and, on
// SQLite, compares `json_extract(column, '$.path')` with each path's first operator.
import { invalidQuery, type DirectusError } from '../../errors.ts';
import type { JsonValue } from '../../types.ts';
import type { SqlValue } from './values.ts';

/** MAX_JSON_QUERY_DEPTH's default. */
const MAX_JSON_QUERY_DEPTH = 10;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const LISTS = new Set(['_in', '_nin', '_between', '_nbetween']);

/**
 * Whether parseJsonFilterValue throws on a value: it walks `Object.entries` of every value under a
 * path key, so a non-empty string recurses forever into its first character, null has no entries to
 * take, and `_and`/`_or` must hold arrays.
 */
export const jsonValueThrows = (value: unknown, depth = 0): boolean => {
  if (depth > 300) return true;
  if (typeof value === 'string') return value.length > 0;
  if (value === null || value === undefined) return true;
  if (typeof value !== 'object') return false;
  return Object.keys(value).some((key) => {
    const inner = (value as Record<string, unknown>)[key];
    if (key === '_and' || key === '_or') return !Array.isArray(inner) || inner.some((sub) => jsonValueThrows(sub, depth + 1));
    if (key.startsWith('_')) return false;
    return jsonValueThrows(inner, depth + 1);
  });
};

/**
 * parseJsonFilterValue (for a value jsonValueThrows accepts): always a plain object; operator values
 * go through `resolve` (dynamic variables), lists become arrays, anything else under a path is walked.
 */
export const normalizeJsonFilter = (value: unknown, resolve: (v: unknown) => unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Object.keys(value)) {
    const inner = (value as Record<string, unknown>)[key];
    if (key === '_and' || key === '_or') out[key] = (inner as unknown[]).map((sub) => normalizeJsonFilter(sub, resolve));
    else if (LISTS.has(key)) {
      if (Array.isArray(inner)) out[key] = inner.flatMap((v) => resolve(v));
      else if (isPlainObject(inner)) out[key] = Object.values(inner).flatMap((v) => resolve(v));
      else out[key] = typeof inner === 'string' ? resolve(inner) : inner;
    } else if (key.startsWith('_')) out[key] = resolve(inner);
    else out[key] = normalizeJsonFilter(inner, resolve);
  }
  return out;
};

/** parseJsonPath: a bare path (`color`, `settings.theme`, `items[0].name`) checked and split into steps. */
export const jsonPath = (path: string): (string | number)[] | DirectusError => {
  const normalized = path.startsWith('[') ? path : `.${path}`;
  if (/\[\]|\.\.|[*?@$]|\[-/.test(normalized) || !/^[\p{L}\p{N}\p{Extended_Pictographic}\w.[\]]+$/u.test(normalized)) {
    return invalidQuery('Invalid JSON path: unsupported path expression');
  }
  let depth = 0;
  for (const ch of normalized) if (ch === '.' || ch === '[') depth++;
  if (depth > MAX_JSON_QUERY_DEPTH) return invalidQuery(`JSON path depth (${depth}) exceeds allowed maximum of ${MAX_JSON_QUERY_DEPTH}`);
  // convertToJsonPath: lodash's toPath, with whole non-negative numbers as array indexes.
  return normalized.replace(/\[([^\]]*)\]/g, '.$1').split('.').filter((p) => p !== '')
    .map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
};

/** validateJsonFilter, with `operatorValue` as validateFilter's check of one operator's value. */
export const jsonFilterError = (value: Record<string, unknown>, operatorValue: (op: string, v: unknown) => DirectusError | null): DirectusError | null => {
  for (const path of Object.keys(value)) {
    const inner = value[path];
    if (path.length === 0) return invalidQuery('"_json" path key must be a non-empty string');
    if (path === '_or' || path === '_and') {
      if (!Array.isArray(inner)) return invalidQuery(`"_json" logical operator "${path}" must be an array`);
      for (const sub of inner) {
        const error = isPlainObject(sub) ? jsonFilterError(sub, operatorValue) : invalidQuery('"_json" filter value must be an object');
        if (error) return error;
      }
      continue;
    }
    const steps = jsonPath(path);
    if (!Array.isArray(steps)) return steps;
    if (!isPlainObject(inner)) return invalidQuery(`"_json" inner filter for path "${path}" must be an object`);
    const nested = Object.keys(inner).find((k) => !k.startsWith('_'));
    if (nested !== undefined) {
      return invalidQuery(`"_json" path "${path}" cannot contain a nested path "${nested}"; use a single flat path like "${path}.${nested}"`);
    }
    for (const op of Object.keys(inner)) {
      if (op === '_and' || op === '_or') continue;
      const error = operatorValue(op, inner[op]);
      if (error) return error;
    }
  }
  return null;
};

/** json_extract(value, path) as SQLite answers it: NULL when missing, booleans as 0/1, objects as JSON text. */
export const extractJson = (stored: JsonValue | undefined, steps: readonly (string | number)[]): SqlValue => {
  let value: unknown = stored;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  for (const step of steps) {
    if (typeof step === 'number' ? !Array.isArray(value) : !isPlainObject(value) || !Object.hasOwn(value, step)) return null;
    value = (value as Record<string | number, unknown>)[step];
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
};

