// `fields` → a tree of what to output per row (plain fields, functions, m2o objects, o2m lists),
// validated against the schema and the caller's permissions, then applied to rows.
import { forbiddenField, invalidQuery, type DirectusError } from '../errors.ts';
import { m2oRelation, o2mRelation } from '../schema.ts';
import type { Collection, Item, JsonValue, Relation } from '../types.ts';
import { canReadField, type QueryContext } from './context.ts';
import { applyFunction, functionsForType, parseFunction } from './values.ts';

export type FieldNode =
  | { readonly kind: 'plain'; readonly key: string; readonly field: string }
  | { readonly kind: 'function'; readonly key: string; readonly field: string; readonly fn: string }
  | { readonly kind: 'm2o'; readonly key: string; readonly field: string; readonly relation: Relation; readonly children: readonly FieldNode[]; readonly deep: unknown }
  | { readonly kind: 'o2m'; readonly key: string; readonly field: string; readonly relation: Relation; readonly children: readonly FieldNode[] | null; readonly deep: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Expands `*` to the readable fields, keeping the order of the schema. */
const wildcard = (ctx: QueryContext, info: Collection): string[] =>
  info.fieldOrder.filter((f) => canReadField(ctx, info.collection, f));

/**
 * Builds the field tree for `collection`. `deep` and `alias` are the query's (per level).
 * Unknown or unreadable fields are FORBIDDEN; a relation into a collection the caller cannot read
 * is left out, as Directus does.
 */
export const buildFieldTree = (
  ctx: QueryContext,
  collection: string,
  fields: readonly string[],
  deep: unknown,
  alias: Readonly<Record<string, string>> | undefined,
): FieldNode[] | DirectusError => {
  const info = ctx.schema.collections[collection]!;
  // first segment → nested rest paths ([] means the field itself)
  const groups = new Map<string, string[]>();
  const add = (first: string, rest: string | null) => {
    const list = groups.get(first) ?? [];
    if (rest !== null) list.push(rest);
    groups.set(first, list);
  };
  for (const path of fields) {
    const dot = path.indexOf('.');
    const first = dot < 0 ? path : path.slice(0, dot);
    const rest = dot < 0 ? null : path.slice(dot + 1);
    if (first === '*') {
      for (const f of wildcard(ctx, info)) {
        const relational = m2oRelation(ctx.schema, collection, f) ?? o2mRelation(ctx.schema, collection, f);
        add(f, rest !== null && relational ? rest : null);
      }
    } else add(first, rest);
  }

  const nodes: FieldNode[] = [];
  for (const [key, rests] of groups) {
    const source = alias?.[key] ?? key;
    const fn = parseFunction(source);
    const field = fn ? fn.field : source;
    const def = Object.hasOwn(info.fields, field) ? info.fields[field] : undefined;
    if (!def || !canReadField(ctx, collection, field)) return forbiddenField(fn ? source : field, collection);
    if (fn) {
      if (!functionsForType(def.type).includes(fn.fn)) return invalidQuery(`Invalid function specified "${fn.fn}"`);
      nodes.push({ kind: 'function', key: alias?.[key] !== undefined ? key : `${field}_${fn.fn}`, field, fn: fn.fn });
      continue;
    }
    const levelDeep = isObject(deep) ? deep[key] : undefined;
    const m2o = m2oRelation(ctx.schema, collection, field);
    const o2m = m2o ? undefined : o2mRelation(ctx.schema, collection, field);
    const related = m2o?.oneCollection ?? o2m?.manyCollection;
    if (related && rests.length > 0) {
      if (!ctx.schema.collections[related] || ctx.readable(related) === null) continue;
      const children = buildFieldTree(ctx, related, rests, levelDeep, aliasOf(levelDeep));
      if (!Array.isArray(children)) return children;
      nodes.push(m2o
        ? { kind: 'm2o', key, field, relation: m2o, children, deep: levelDeep }
        : { kind: 'o2m', key, field, relation: o2m!, children, deep: levelDeep });
    } else if (o2m) {
      nodes.push({ kind: 'o2m', key, field, relation: o2m, children: null, deep: levelDeep });
    } else {
      nodes.push({ kind: 'plain', key, field });
    }
  }
  return nodes;
};

const aliasOf = (deep: unknown): Record<string, string> | undefined => {
  const alias = isObject(deep) ? deep['_alias'] : undefined;
  return isObject(alias) ? (alias as Record<string, string>) : undefined;
};

/** What a relation's nested rows look like once read: the callback resolves related rows (with deep). */
export interface RelatedReader {
  parent(node: Extract<FieldNode, { kind: 'm2o' }>, row: Item): Item | null;
  children(node: Extract<FieldNode, { kind: 'o2m' }>, row: Item): readonly Item[];
}

/** Applies a field tree to one row. An empty tree gives the bare primary key, as Directus does. */
export const project = (
  ctx: QueryContext,
  collection: string,
  row: Item,
  nodes: readonly FieldNode[],
  related: RelatedReader,
): JsonValue => {
  const info = ctx.schema.collections[collection]!;
  if (nodes.length === 0) return row[info.primary] ?? null;
  const out: Record<string, JsonValue> = {};
  for (const node of nodes) {
    switch (node.kind) {
      case 'plain':
        out[node.key] = row[node.field] ?? null;
        break;
      case 'function':
        out[node.key] = node.fn === 'count' && o2mRelation(ctx.schema, collection, node.field)
          ? related.children({ kind: 'o2m', key: node.key, field: node.field, relation: o2mRelation(ctx.schema, collection, node.field)!, children: null, deep: undefined }, row).length
          : applyFunction(node.fn, row[node.field]);
        break;
      case 'm2o': {
        const parent = related.parent(node, row);
        out[node.key] = parent ? project(ctx, node.relation.oneCollection!, parent, node.children, related) : null;
        break;
      }
      case 'o2m': {
        const many = ctx.schema.collections[node.relation.manyCollection]!;
        const children = related.children(node, row);
        out[node.key] = node.children === null
          ? children.map((c) => c[many.primary] ?? null)
          : children.map((c) => project(ctx, node.relation.manyCollection, c, node.children!, related));
        break;
      }
    }
  }
  return out;
};
