// The route table: method and path pattern → handler, matched as Express does (case-insensitive paths,
// an optional trailing slash, parameters percent-decoded). Anything unmatched is ROUTE_NOT_FOUND.
import { answer, type RestContext, type RestOutcome } from './context.ts';
import { loginRoute, logoutRoute, refreshRoute } from './auth.ts';
import {
  createItems, deleteItem, deleteItems, readItem, readItems, searchItems, updateItem, updateItems,
} from './items.ts';
import { failure, routeNotFound } from './respond.ts';
import { readCollections, readFields, readRelations, schemaSnapshot } from './schema.ts';
import { authProviders, serverHealth, serverInfo, usersMe } from './server.ts';

type Handler = (ctx: RestContext, params: readonly string[]) => RestOutcome;

const path = (pattern: string): RegExp => new RegExp(`^${pattern}/?$`, 'i');
const COLLECTION = path('/items/([^/]+)');
const ITEM = path('/items/([^/]+)/([^/]+)');

const ROUTES: readonly (readonly [method: string, pattern: RegExp, handler: Handler])[] = [
  ['GET', path('/server/info'), serverInfo],
  ['GET', path('/server/health'), serverHealth],
  ['GET', path('/auth'), authProviders],
  ['POST', path('/auth/login'), loginRoute],
  ['POST', path('/auth/refresh'), refreshRoute],
  ['POST', path('/auth/logout'), logoutRoute],
  ['GET', path('/users/me'), usersMe],
  ['GET', path('/schema/snapshot'), schemaSnapshot],
  ['GET', path('/collections(?:/([^/]+))?'), readCollections],
  ['GET', path('/fields(?:/([^/]+))?(?:/([^/]+))?'), readFields],
  ['GET', path('/relations(?:/([^/]+))?(?:/([^/]+))?'), readRelations],
  ['GET', COLLECTION, readItems],
  ['SEARCH', COLLECTION, searchItems],
  ['POST', COLLECTION, createItems],
  ['PATCH', COLLECTION, updateItems],
  ['DELETE', COLLECTION, deleteItems],
  ['GET', ITEM, readItem],
  ['PATCH', ITEM, updateItem],
  ['DELETE', ITEM, deleteItem],
];

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export const route = (ctx: RestContext): RestOutcome => {
  for (const [method, pattern, handler] of ROUTES) {
    if (method !== ctx.method) continue;
    const match = pattern.exec(ctx.path);
    if (match) return handler(ctx, match.slice(1).filter((p) => p !== undefined).map(decode));
  }
  return answer(ctx, failure(routeNotFound(ctx.path)));
};
