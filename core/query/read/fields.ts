// `fields` → a tree of what to output per row (plain fields, functions, m2o objects, o2m lists, m2a
// items), validated against the schema and the caller's permissions, then applied to rows. The tree
// follows Directus's getAstFromQuery: wildcards expand first (`*.*` lists the relational fields
// first), every relational path is grouped under its first segment, `item:collection` scopes an m2a.
import { DirectusError, forbiddenCollection, forbiddenFields, invalidQuery } from '../../errors.ts';
import { a2oOf, allowedCollections, m2oOf, o2mOf } from '../../relations.ts';
import type { Collection, Item, JsonValue, Relation } from '../../types.ts';
import { canReadField, dialectOfContext, type QueryContext } from '../shared/context.ts';
import { applyFunction, functionsForType, functionText, parseFunction } from '../shared/values.ts';
import { isJsonObject as isObject } from '../../json.ts';

export interface A2oScope {
  readonly collection: string;
  readonly children: readonly FieldNode[];
  /** The `deep` level under `field:collection`. */
  readonly deep: unknown;
}

export type FieldNode =
  | { readonly kind: 'plain'; readonly key: string; readonly field: string }
  | { readonly kind: 'function'; readonly key: string; readonly field: string; readonly fn: string }
  /** `count(alias)` of an o2m, m2m or m2a alias: the number of related rows. */
  | { readonly kind: 'count'; readonly key: string; readonly field: string; readonly relation: Relation }
  | { readonly kind: 'm2o'; readonly key: string; readonly field: string; readonly relation: Relation; readonly children: readonly FieldNode[]; readonly deep: unknown }
  | { readonly kind: 'o2m'; readonly key: string; readonly field: string; readonly relation: Relation; readonly children: readonly FieldNode[] | null; readonly deep: unknown }
  /** The key field of an m2a junction, expanded per allowed collection. */
  | { readonly kind: 'a2o'; readonly key: string; readonly field: string; readonly relation: Relation; readonly scopes: readonly A2oScope[] };

export interface TreeOptions {
  /** This level's `deep` object: relation keys → their level. */
  readonly deep?: unknown;
  readonly alias?: Readonly<Record<string, string>>;
  readonly backlink?: boolean;
  /** The relation this level was reached through (for `backlink: false`). */
  readonly parent?: Relation;
  /** The relational path to this level, for error messages ('' at the root). */
  readonly path?: string;
}

/** FORBIDDEN for a field, naming where it was asked for as Directus does ("Queried in root." or a path). */
const forbiddenAt = (field: string, collection: string, path: string): DirectusError =>
  new DirectusError(
    'FORBIDDEN',
    `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in ${path === '' ? 'root' : `"${path}"`}.`,
  );

/** The relation a field of `collection` is the local side of, if any (m2o key, m2a key, o2m alias). */
const relationOfField = (ctx: QueryContext, collection: string, field: string): Relation | undefined =>
  m2oOf(ctx.schema, collection, field) ?? a2oOf(ctx.schema, collection, field) ?? o2mOf(ctx.schema, collection, field);

/** convertWildcards: `*` → readable fields (then aliases); `*.rest` → relational fields first, each with `.rest`. */
export const expandWildcards = (ctx: QueryContext, info: Collection, fields: readonly string[], o: TreeOptions): string[] => {
  const readable = info.fieldOrder.filter((f) => canReadField(ctx, info.collection, f));
  const aliases = Object.keys(o.alias ?? {}).filter((k) => canReadField(ctx, info.collection, parseFunction(o.alias![k]!)?.field ?? o.alias![k]!));
  const out: string[] = [];
  for (const key of fields) {
    if (key === '*') {
      out.push(...readable, ...aliases);
    } else if (key.startsWith('*.')) {
      const rest = key.slice(2);
      const relational = readable.filter((f) => {
        const relation = relationOfField(ctx, info.collection, f);
        return relation !== undefined && !(o.backlink === false && relation === o.parent);
      });
      const others = readable.filter((f) => !relational.includes(f));
      out.push(
        ...relational.map((f) => `${f}.${rest}`),
        ...others,
        ...aliases.map((k) => (relational.includes(o.alias![k]!) ? `${k}.${rest}` : k)),
      );
    } else out.push(key);
  }
  return out;
};

type Group = { scoped: false; rests: string[] } | { scoped: true; byScope: Map<string, string[]> };

/**
 * Builds the field tree for `collection`. Unknown or unreadable fields are FORBIDDEN; a relation into
 * a collection the caller cannot read is left out, as Directus does.
 */
export const buildFieldTree = (
  ctx: QueryContext,
  collection: string,
  fields: readonly string[],
  options: TreeOptions = {},
): FieldNode[] | DirectusError => {
  // Trees without deep/alias depend only on the schema and the caller's field access: memoise them
  // per (schema, caller, permissions) — a `*` tree costs several µs to build and most reads ask for one.
  if (options.deep !== undefined || options.alias !== undefined || options.path) return buildTree(ctx, collection, fields, options);
  let perCaller = trees.get(ctx.schema)?.get(ctx.accountability);
  if (!perCaller || perCaller.system !== ctx.data.system) {
    let bySchema = trees.get(ctx.schema);
    if (!bySchema) trees.set(ctx.schema, (bySchema = new WeakMap()));
    bySchema.set(ctx.accountability, (perCaller = { system: ctx.data.system, built: new Map() }));
  }
  const key = `${collection}\u0000${options.backlink === false ? 0 : 1}\u0000${fields.join('\u0000')}`;
  const cached = perCaller.built.get(key);
  if (cached !== undefined) return cached;
  const built = buildTree(ctx, collection, fields, options);
  if (perCaller.built.size > 512) perCaller.built.clear();
  perCaller.built.set(key, built);
  return built;
};

/** The field an output key names through the query's `alias`, if it is an alias. */
export const aliasOf = (alias: TreeOptions['alias'], key: string): string | undefined =>
  alias !== undefined && Object.hasOwn(alias, key) ? alias[key] : undefined;

/** Output order is where a key first appears. */
const noteOrder = (order: string[], plain: ReadonlyMap<string, unknown>, groups: ReadonlyMap<string, unknown>, key: string) => {
  if (!plain.has(key) && !groups.has(key)) order.push(key);
};

const trees = new WeakMap<object, WeakMap<object, { system: object; built: Map<string, FieldNode[] | DirectusError> }>>();

const buildTree = (
  ctx: QueryContext,
  collection: string,
  fields: readonly string[],
  options: TreeOptions = {},
): FieldNode[] | DirectusError => {
  const info = ctx.schema.collections[collection]!;
  const path = options.path ?? '';
  const alias = options.alias;

  // Output order: where a key first appears; plain fields renamed through `alias` come last.
  const order: string[] = [];
  const plain = new Map<string, FieldNode>();
  const late = new Set<string>();
  const groups = new Map<string, Group>();

  for (const fieldKey of expandWildcards(ctx, info, fields, options)) {
    const name = aliasOf(alias, fieldKey) ?? fieldKey;
    const fn = parseFunction(name);
    if (fn) {
      const def = Object.hasOwn(info.fields, fn.field) ? info.fields[fn.field] : undefined;
      if (!def || !canReadField(ctx, collection, fn.field)) return forbiddenAt(name, collection, path);
      const key = aliasOf(alias, fieldKey) !== undefined ? fieldKey : `${fn.field}_${fn.fn}`;
      const relation = fn.fn === 'count' ? o2mOf(ctx.schema, collection, fn.field) : undefined;
      // processAst checks the related collection of `count(o2m)` with the fields, before the filter's paths.
      if (relation && ctx.readable(relation.manyCollection) === null) return forbiddenCollection(relation.manyCollection, path ? `${path}.${name}` : name);
      // A nested level's function is checked when that level's query is built (see levelFunctionFailure).
      if (!relation && options.parent === undefined && !functionsForType(def.type).includes(fn.fn)) return invalidQuery(`Invalid function specified "${fn.fn}"`);
      noteOrder(order, plain, groups, key);
      plain.set(key, relation ? { kind: 'count', key, field: fn.field, relation } : { kind: 'function', key, field: fn.field, fn: fn.fn });
      continue;
    }
    const relational = name.includes('.') || o2mOf(ctx.schema, collection, name) !== undefined;
    const head = relational ? fieldKey.split('.')[0]! : name;
    const [root, scope] = head.includes(':') ? [head.slice(0, head.indexOf(':')), head.slice(head.indexOf(':') + 1)] : [head, null];
    if (!relational && scope === null) {
      noteOrder(order, plain, groups, fieldKey);
      if (aliasOf(alias, fieldKey) !== undefined) late.add(fieldKey);
      plain.set(fieldKey, { kind: 'plain', key: fieldKey, field: name });
      continue;
    }
    const rest = relational && fieldKey.includes('.') ? fieldKey.slice(fieldKey.indexOf('.') + 1) : null;
    noteOrder(order, plain, groups, root);
    let group = groups.get(root);
    if (!group) groups.set(root, (group = scope !== null ? { scoped: true, byScope: new Map() } : { scoped: false, rests: [] }));
    if (scope !== null && group.scoped) {
      const list = group.byScope.get(scope) ?? [];
      if (rest !== null) list.push(rest);
      group.byScope.set(scope, list);
    } else if (scope === null && !group.scoped && rest !== null) group.rests.push(rest);
  }

  // A path (or `field:scope`) whose first segment is no relation is dropped without a word, whether
  // that field exists or not, as Directus's parseFields does: `id.nope`, `a..b`, `nope:x`.
  for (const key of [...groups.keys()]) {
    if (!relationOfField(ctx, collection, aliasOf(alias, key) ?? key)) groups.delete(key);
  }

  // Directus names every unknown or unreadable field of a level in one error.
  const plainFields = [...plain.values()].flatMap((n) => (n.kind === 'plain' ? [n.field] : []));
  const unknown = [...new Set([...[...groups.keys()].map((k) => aliasOf(alias, k) ?? k), ...plainFields])]
    .filter((f) => !Object.hasOwn(info.fields, f) || !canReadField(ctx, collection, f));
  if (unknown.length > 1) return forbiddenFields(unknown, collection, path);

  const nodes = new Map<string, FieldNode>();
  for (const [key, group] of groups) {
    const field = aliasOf(alias, key) ?? key;
    const def = Object.hasOwn(info.fields, field) ? info.fields[field] : undefined;
    if (!def || !canReadField(ctx, collection, field)) return forbiddenAt(field, collection, path);
    const node = relationalNode(ctx, collection, key, field, group, options);
    if (node instanceof DirectusError) return node;
    if (node === 'plain') plain.set(key, { kind: 'plain', key, field }); // a path below a plain field
    else if (node === 'skip') plain.delete(key);
    else nodes.set(key, node);
  }
  for (const [key, node] of plain) {
    if (nodes.has(key)) continue;
    const def = node.kind === 'plain' ? (Object.hasOwn(info.fields, node.field) ? info.fields[node.field] : undefined) : true;
    if (!def || !canReadField(ctx, collection, node.field)) return forbiddenAt(node.field, collection, path);
    nodes.set(key, node);
  }
  const tree: FieldNode[] = [];
  for (const key of order) if (!late.has(key) || groups.has(key)) push(tree, nodes.get(key));
  for (const key of order) if (late.has(key) && !groups.has(key)) push(tree, nodes.get(key));
  return tree;
};

/**
 * The error of a nested level's first function its field's type has no (`city.country.year(eu)`):
 * Directus's getColumn throws it while runAst builds that level's query, which it does only under a
 * parent level that returned rows; a root level's fails at once (buildTree).
 */
export const levelFunctionFailure = (ctx: QueryContext, collection: string, nodes: readonly FieldNode[]): DirectusError | undefined => {
  const fields = ctx.schema.collections[collection]?.fields;
  for (const node of nodes) {
    if (node.kind !== 'function') continue;
    const def = fields && Object.hasOwn(fields, node.field) ? fields[node.field] : undefined;
    if (def && !functionsForType(def.type).includes(node.fn)) return invalidQuery(`Invalid function specified "${node.fn}"`);
  }
  return undefined;
};

const push = (tree: FieldNode[], node: FieldNode | undefined) => {
  if (node) tree.push(node);
};

const childOptions = (level: unknown, o: TreeOptions, parent: Relation, path: string): TreeOptions => {
  const alias = isObject(level) && isObject(level['_alias']) ? (level['_alias'] as Record<string, string>) : undefined;
  return { deep: level, alias, backlink: o.backlink, parent, path };
};

/**
 * The node for a relational group: 'plain' when the field is not relational after all, 'skip' when
 * it leads into a collection the caller cannot read (Directus leaves such a field out).
 */
const relationalNode = (
  ctx: QueryContext,
  collection: string,
  key: string,
  field: string,
  group: Group,
  o: TreeOptions,
): FieldNode | DirectusError | 'plain' | 'skip' => {
  const deep = isObject(o.deep) ? o.deep : undefined;
  const path = o.path ? `${o.path}.${key}` : key;
  const a2o = a2oOf(ctx.schema, collection, field);
  if (a2o) {
    const scopes: A2oScope[] = [];
    for (const name of allowedCollections(ctx.schema, a2o)) {
      if (ctx.readable(name) === null) continue;
      const list = group.scoped ? group.byScope.get(name) ?? [] : group.rests;
      const level = deep?.[`${key}:${name}`];
      const children = buildFieldTree(ctx, name, list, childOptions(level, o, a2o, `${path}:${name}`));
      if (children instanceof DirectusError) return children;
      scopes.push({ collection: name, children, deep: level });
    }
    return { kind: 'a2o', key, field, relation: a2o, scopes };
  }
  // A scope on an m2o or o2m (`category:x`) asks for no nested field: the keys.
  const rests = group.scoped ? [] : group.rests;
  const m2o = m2oOf(ctx.schema, collection, field);
  const o2m = m2o ? undefined : o2mOf(ctx.schema, collection, field);
  const relation = m2o ?? o2m;
  if (!relation || (m2o && rests.length === 0)) return 'plain';
  const related = m2o ? relation.oneCollection! : relation.manyCollection;
  if (!Object.hasOwn(ctx.schema.collections, related) || ctx.readable(related) === null) return 'skip';
  const level = deep?.[key];
  if (o2m && rests.length === 0) return { kind: 'o2m', key, field, relation, children: null, deep: level };
  const children = buildFieldTree(ctx, related, rests, childOptions(level, o, relation, path));
  if (children instanceof DirectusError) return children;
  return m2o
    ? { kind: 'm2o', key, field, relation, children, deep: level }
    : { kind: 'o2m', key, field, relation, children, deep: level };
};

/** How related rows are found while projecting (the reader applies `deep` and permissions). */
export interface RelatedReader {
  parent(node: Extract<FieldNode, { kind: 'm2o' }>, row: Item): Item | null;
  children(node: Extract<FieldNode, { kind: 'o2m' }>, row: Item): readonly Item[];
  count(node: Extract<FieldNode, { kind: 'count' }>, row: Item): number;
  /** The row an m2a key points at, if it is in one of the node's scopes (with that scope). */
  any(node: Extract<FieldNode, { kind: 'a2o' }>, row: Item): { scope: A2oScope; item: Item } | null;
  /**
   * Projects a related row (`compute`), or reuses its projection: a tree that walks a relation back
   * and forth meets the same row under the same nodes again and again.
   */
  nested(nodes: readonly FieldNode[], row: Item, compute: () => JsonValue): JsonValue;
}

/** Whether a node's output key is a query alias (a name other than the one Directus gives the field). */
const renamed = (node: FieldNode): boolean =>
  node.key !== (node.kind === 'function' ? `${node.field}_${node.fn}` : node.kind === 'count' ? `${node.field}_count` : node.field);

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
  // removeTemporaryFields picks no field when every one asked for is an alias: the item is its
  // primary key's column, which holds the aliased field when the key's name is itself an alias.
  if (nodes.every(renamed)) {
    const key = nodes.find((n) => n.key === info.primary);
    return (key?.kind === 'plain' ? row[key.field] : row[info.primary]) ?? null;
  }
  const out: Record<string, JsonValue> = {};
  const asText = dialectOfContext(ctx).functionsAsText;
  for (const node of nodes) {
    switch (node.kind) {
      case 'plain':
        out[node.key] = row[node.field] ?? null;
        break;
      case 'function': {
        const value = applyFunction(node.fn, row[node.field], info.fields[node.field]?.special.includes('cast-json'), asText);
        out[node.key] = asText ? functionText(node.fn, value) : value;
        break;
      }
      case 'count': {
        const n = related.count(node, row);
        out[node.key] = asText ? String(n) : n;
        break;
      }
      case 'm2o': {
        const parent = related.parent(node, row);
        out[node.key] = parent ? related.nested(node.children, parent, () => project(ctx, node.relation.oneCollection!, parent, node.children, related)) : null;
        break;
      }
      case 'o2m': {
        const many = ctx.schema.collections[node.relation.manyCollection]!;
        const children = related.children(node, row);
        out[node.key] = node.children === null
          ? children.map((c) => c[many.primary] ?? null)
          : children.map((c) => related.nested(node.children!, c, () => project(ctx, node.relation.manyCollection, c, node.children!, related)));
        break;
      }
      case 'a2o': {
        const found = related.any(node, row);
        if (!found) out[node.key] = null;
        else if (found.scope.children.length > 0) {
          const { scope, item } = found;
          out[node.key] = related.nested(scope.children, item, () => project(ctx, scope.collection, item, scope.children, related));
        }
        else {
          // Out of scope, Directus reads the related row's field named like the junction's key.
          const value = found.item[info.primary];
          if (value !== undefined) out[node.key] = value;
        }
        break;
      }
    }
  }
  return out;
};
