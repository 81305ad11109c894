// The `deep` levels a read applies, found as Directus's getAstFromQuery finds them: a level counts
// only under a relation the `fields` select (a deep level for an unselected relation is ignored),
// and Directus's processAst checks the paths each level names — prefixed with the level's relational
// path, before the root query's own — so an unknown field there is reported first and "Queried in
// \"cities\"" (or "products.products_id" through the level's relations).
import { a2oOf, allowedCollections, m2oOf, o2mOf } from '../../relations.ts';
import { isJsonObject } from '../../json.ts';
import type { Relation } from '../../types.ts';
import type { QueryContext } from '../shared/context.ts';
import { deepLevelQuery, sanitizeRaw, type Query } from '../shared/sanitize.ts';
import { parseFunction } from '../shared/values.ts';
import { aliasOf, expandWildcards, type TreeOptions } from './fields.ts';

/** One applied `deep` level: its relational path (`["item:pages"]`), its collection and its query. */
export interface DeepLevel {
  readonly path: readonly string[];
  readonly collection: string;
  readonly query: Query;
}

/** The level's `_` keys sanitized as a query of their own (sanitizeDeep; no validateQuery). */
const levelQuery = (ctx: QueryContext, level: unknown): Query => {
  const sanitized = sanitizeRaw(deepLevelQuery(level), undefined, ctx.limits);
  return 'query' in sanitized ? sanitized.query : {};
};

/** The nested field lists per relational key of one level, in the order `fields` first names them. */
const relationalGroups = (ctx: QueryContext, collection: string, fields: readonly string[], o: TreeOptions) => {
  const groups = new Map<string, { rests: string[]; byScope: Map<string, string[]> | null }>();
  for (const fieldKey of expandWildcards(ctx, ctx.schema.collections[collection]!, fields, o)) {
    const name = aliasOf(o.alias, fieldKey) ?? fieldKey;
    if (parseFunction(name)) continue;
    const relational = name.includes('.') || o2mOf(ctx.schema, collection, name) !== undefined;
    const head = relational ? fieldKey.split('.')[0]! : name;
    if (!relational && !head.includes(':')) continue;
    const [root = '', scope] = head.split(':');
    let group = groups.get(root);
    if (!group) groups.set(root, (group = { rests: [], byScope: scope !== undefined ? new Map() : null }));
    const rest = relational && fieldKey.includes('.') ? fieldKey.slice(fieldKey.indexOf('.') + 1) : null;
    if (scope !== undefined && group.byScope) {
      const list = group.byScope.get(scope) ?? [];
      if (rest !== null) list.push(rest);
      group.byScope.set(scope, list);
    } else if (scope === undefined && !group.byScope && rest !== null) group.rests.push(rest);
  }
  return groups;
};

const walk = (
  ctx: QueryContext, collection: string, fields: readonly string[], deep: unknown, o: TreeOptions, at: readonly string[], out: DeepLevel[],
): void => {
  const levels = isJsonObject(deep) ? deep : {};
  for (const [key, group] of relationalGroups(ctx, collection, fields, o)) {
    const field = aliasOf(o.alias, key) ?? key;
    const a2o = a2oOf(ctx.schema, collection, field);
    if (a2o) {
      const scoped: DeepLevel[] = [];
      for (const name of allowedCollections(ctx.schema, a2o)) {
        if (!Object.hasOwn(ctx.schema.collections, name) || ctx.readable(name) === null) continue;
        const level = levels[`${key}:${name}`];
        const path = [...at, `${key}:${name}`];
        walk(ctx, name, group.byScope ? group.byScope.get(name) ?? [] : group.rests, level, childOptions(level, o, a2o), path, out);
        scoped.push({ path, collection: name, query: levelQuery(ctx, level) });
      }
      // Directus walks every scope's fields, then every scope's query.
      out.push(...scoped);
      continue;
    }
    const rests = group.byScope ? [] : group.rests;
    const m2o = m2oOf(ctx.schema, collection, field);
    const relation = m2o ?? o2mOf(ctx.schema, collection, field);
    // An m2o named without a nested field is a plain field: no level.
    if (!relation || (m2o && rests.length === 0)) continue;
    const related = m2o ? relation.oneCollection! : relation.manyCollection;
    if (!Object.hasOwn(ctx.schema.collections, related) || ctx.readable(related) === null) continue;
    const level = levels[key];
    const path = [...at, key];
    walk(ctx, related, rests, level, childOptions(level, o, relation), path, out);
    out.push({ path, collection: related, query: levelQuery(ctx, level) });
  }
};

const childOptions = (level: unknown, o: TreeOptions, parent: Relation): TreeOptions => {
  const raw = isJsonObject(level) ? level['_alias'] : undefined;
  const alias = isJsonObject(raw) ? Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
  return { alias, backlink: o.backlink, parent };
};

/** The `deep` levels of a read, deepest first within each relation, in the order Directus checks them. */
export const selectedDeepLevels = (ctx: QueryContext, collection: string, query: Query): DeepLevel[] => {
  const out: DeepLevel[] = [];
  if (query.deep === undefined || !Object.hasOwn(ctx.schema.collections, collection)) return out;
  walk(ctx, collection, query.fields ?? ['*'], query.deep, { alias: query.alias, backlink: query.backlink }, [], out);
  return out;
};
