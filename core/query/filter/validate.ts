// The checks Directus runs on a parsed filter before it touches the database, in its order:
// validateQuery's value checks and relational depth, then processAst's field existence and
// field permissions (FORBIDDEN, "Queried in root." or in the relational path).
import { forbiddenCollection, invalidQuery, type DirectusError } from '../../errors.ts';
import type { QueryContext } from '../shared/context.ts';
import { addPath, fieldsError, missingIn, type FieldMap } from '../shared/field-paths.ts';
import { DEFAULT_LIMITS, depthExceeded, relationalDepth, type QueryLimits } from '../shared/limits.ts';
import type { FilterNode } from './parse.ts';
import { Instant } from './values.ts';
import { jsonFilterError } from './json-filter.ts';


const primitive = (value: unknown, op: string): DirectusError | null => {
  if (value === null || value instanceof Instant) return null;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return invalidQuery(`The filter value for "${op}" has to be a string, number, or boolean`);
  }
  if (typeof value === 'number' && (Number.isNaN(value) || value > Number.MAX_SAFE_INTEGER)) {
    return invalidQuery(`The filter value for "${op}" is not a valid number`);
  }
  if (value === '') return invalidQuery(`You can't filter for an empty string in "${op}". Use "_empty" or "_nempty" instead`);
  return null;
};

/** Nesting of a list at least `levels` deep whose innermost members can be joined (arrays). */
const nested = (value: unknown, levels: number): boolean =>
  Array.isArray(value) && (levels === 1 || value.every((v) => v === undefined || nested(v, levels - 1)));

const COORDINATE_LEVELS: Readonly<Record<string, number>> = { Point: 1, LineString: 2, MultiPoint: 2, Polygon: 3, MultiLineString: 3, MultiPolygon: 4 };

/**
 * Whether wellknown's `stringify` (Directus's validateGeometry) turns the value into WKT without
 * throwing: a geometry (or a Feature holding one) whose coordinates nest as deep as its type needs.
 */
const writesAsWkt = (value: unknown, depth: number): boolean => {
  if (depth > 100 || typeof value !== 'object' || value === null) return false;
  let geometry = value as Record<string, unknown>;
  if (geometry['type'] === 'Feature') {
    const inner = geometry['geometry'];
    if (typeof inner !== 'object' || inner === null) return false;
    geometry = inner as Record<string, unknown>;
  }
  const type = geometry['type'];
  if (type === 'GeometryCollection') {
    const members = geometry['geometries'];
    return Array.isArray(members) && members.every((m) => writesAsWkt(m, depth + 1));
  }
  const levels = typeof type === 'string' && Object.hasOwn(COORDINATE_LEVELS, type) ? COORDINATE_LEVELS[type]! : 0;
  return levels > 0 && nested(geometry['coordinates'], levels);
};

function operatorValue(op: string, value: unknown): DirectusError | null {
  switch (op) {
    case '_in': case '_nin': case '_between': case '_nbetween':
      return Array.isArray(value) && value.length > 0 ? null : invalidQuery(`"${op}" has to be an array of values`);
    case '_null': case '_nnull': case '_empty': case '_nempty':
      return value === null || value === '' || typeof value === 'boolean' ? null : invalidQuery(`"${op}" has to be a boolean`);
    case '_intersects': case '_nintersects': case '_intersects_bbox': case '_nintersects_bbox':
      return value === null || value === '' || writesAsWkt(value, 0) ? null : invalidQuery(`"${op}" has to be a valid GeoJSON object`);
    case '_json':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? jsonFilterError(value as Record<string, unknown>, operatorValue)
        : invalidQuery('"_json" filter value must be an object');
    default:
      return primitive(value, op);
  }
};

/** validateQuery's validateFilter: the first value that has the wrong shape. */
export const validateValues = (node: FilterNode): DirectusError | null => {
  switch (node.t) {
    case 'logic':
      for (const item of node.items) {
        const error = validateValues(item);
        if (error) return error;
      }
      return null;
    case 'field': case 'quant': return validateValues(node.value);
    case 'op': return operatorValue(node.op, node.value);
    default: return null;
  }
};

/** calculateFieldDepth: nesting of non-operator keys. */
const fieldDepth = (node: FilterNode): number => {
  switch (node.t) {
    case 'logic': return node.items.reduce((max, item) => Math.max(max, fieldDepth(item)), 0);
    case 'field': return node.value.t === 'null' ? 0 : 1 + fieldDepth(node.value);
    case 'quant': return fieldDepth(node.value);
    default: return 0;
  }
};

export const validateDepth = (node: FilterNode, limits: QueryLimits = DEFAULT_LIMITS): DirectusError | null =>
  fieldDepth(node) > relationalDepth(limits) ? depthExceeded() : null;

// ------------------------------------------------------------------ fields (processAst)

/** What Directus's flattenFilter walks: the filter as the nested objects and arrays it was. */
type Walk = { readonly node: FilterNode } | { readonly nodes: readonly FilterNode[] };

/**
 * The keyed children of a walked object (null key for array elements), or null for a leaf. An
 * operator ends the walk: its value is never read for fields (`_in: [{a: 1}]` names no field `a`).
 */
const children = (walk: Walk): [string | null, Walk][] | null => {
  if ('nodes' in walk) return walk.nodes.map((node) => [null, { node }]);
  const n = walk.node;
  switch (n.t) {
    case 'empty': return [];
    case 'null': return null;
    case 'logic': return [[n.op, { nodes: n.items }]];
    case 'field': return [[n.key, { node: n.value }]];
    case 'quant': return [[n.op, { node: n.value }]];
    // An operator ends its path: flattenFilter never looks into an operator's value.
    case 'op': return null;
  }
};

/** flattenFilter: every leaf's key path without operators, in Directus's (stack) order, deduplicated. */
const filterPaths = (root: FilterNode): string[][] => {
  const paths: string[][] = [];
  const seen = new Set<string>();
  const stack: { walk: Walk; path: string[] }[] = [{ walk: { node: root }, path: [] }];
  while (stack.length > 0) {
    const { walk, path } = stack.pop()!;
    const next = children(walk);
    if (next === null) {
      // Operators and groups are not fields; `__proto__` is kept so that it fails as an unknown field.
      const parts = path.filter((p) => !p.startsWith('_') || p === '__proto__');
      const id = JSON.stringify(parts);
      if (!seen.has(id)) {
        seen.add(id);
        paths.push(parts);
      }
      continue;
    }
    for (const [key, child] of next) stack.push({ walk: child, path: key === null ? path : [...path, key] });
  }
  return paths;
};

/**
 * processAst for the filter: every field a path names must exist (FORBIDDEN "…or it does not exist"),
 * then, for every collection on the way, the caller must be allowed to read those fields.
 */
export const checkFields = (root: FilterNode, collection: string, ctx: QueryContext): DirectusError | null => {
  const map: FieldMap = new Map();
  // In a filter, `*` is a key like any other (and no field), and an m2a scope is followed as named.
  for (const path of filterPaths(root)) addPath(ctx, map, collection, path, {}, ctx.deepPath);
  const missing = missingIn(ctx, map);
  if (missing) return missing;
  for (const [path, info] of map) {
    const access = ctx.readable(info.collection);
    if (access === null) return forbiddenCollection(info.collection, path);
    if (access === '*' || access.has('*')) continue;
    const denied = [...info.fields].filter((f) => !f.startsWith('$') && !access.has(f));
    if (denied.length > 0) return fieldsError(path, info.collection, denied);
  }
  return null;
};
