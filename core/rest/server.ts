// The routes around the items API that clients touch: `/server/info`, `/server/health`, `GET /auth`
// (SSO providers: none) and `/users/me`, with the answers Directus 12.4 gives.
import { invalidCredentials } from '../access/auth.ts';
import { allowedFields } from '../access/permissions.ts';
import { forbidden, isFailure } from '../errors.ts';
import { sanitizeQuery } from '../query/shared/sanitize.ts';
import { DIRECTUS_VERSION } from '../schema-snapshot.ts';
import type { Item, JsonValue } from '../types.ts';
import { answer, type RestContext, type RestOutcome } from './context.ts';
import { failure, ok, plainJson } from './respond.ts';


const PROJECT = {
  project_name: 'Directus', project_descriptor: null, project_logo: null, project_color: '#6644FF',
  default_appearance: 'auto', default_theme_light: null, default_theme_dark: null, theme_light_overrides: null,
  theme_dark_overrides: null, default_language: 'en-US', public_foreground: null, public_background: null,
  public_favicon: null, public_note: null, custom_css: null, public_registration: false,
  public_registration_verify_email: true,
};
const LICENSE = { source: null, entitlements: { production_enabled: true, ai_translations_enabled: false, display_powered_by: 'DIRECTUS' } };
const LOG_LEVELS = { allowedLogLevels: { info: 30, warn: 40, error: 50, fatal: 60 } };

/** Public callers get the project and license; any signed-in user the server's settings too. */
export const serverInfo = (ctx: RestContext): RestOutcome => {
  const { config } = ctx.state;
  if (ctx.accountability.user === null) return answer(ctx, ok({ data: { project: PROJECT, license: LICENSE } }));
  const socket = { authentication: config.authMode, path: '/websocket' };
  return answer(ctx, ok({
    data: {
      project: PROJECT, project_owner_enabled: true, mcp_enabled: true, ai_enabled: true, mcp_oauth_enabled: false,
      mcp_oauth_dcr_enabled: false, mcp_oauth_cimd_enabled: false, autoSave: { revisionInterval: 300 }, ai_providers: [],
      files: { mimeTypeAllowList: ['*/*'] }, rateLimit: false, rateLimitGlobal: false, extensions: { limit: null },
      queryLimit: { default: config.queryLimitDefault, max: Number.isFinite(config.queryLimitMax) ? config.queryLimitMax : -1 },
      websocket: {
        rest: socket, graphql: { ...socket, path: '/graphql' },
        heartbeat: config.heartbeatPeriod > 0 ? config.heartbeatPeriod / 1000 : false,
        collaborativeEditing: true, logs: ctx.accountability.admin ? LOG_LEVELS : false,
      },
      version: DIRECTUS_VERSION, license: LICENSE,
    },
  }));
};

export const serverHealth = (ctx: RestContext): RestOutcome =>
  answer(ctx, ctx.accountability.admin ? plainJson({ status: 'ok' }, 'application/health+json') : failure(forbidden()));

export const authProviders = (ctx: RestContext): RestOutcome => answer(ctx, ok({ data: [], disableDefault: false }));

// ------------------------------------------------------------------ /users/me

/** The m2o fields between the system records standin keeps. */
const SYSTEM_RELATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  directus_users: { role: 'directus_roles' },
  directus_roles: { parent: 'directus_roles' },
};
const CONCEALED = new Set(['password', 'token', 'tfa_secret']);

const rows = (ctx: RestContext, collection: string): readonly Item[] => ctx.state.data.system[collection] ?? [];

/** A system record projected to `fields` (`*`, names, `m2o.field`); undefined when a field is unknown. */
const project = (ctx: RestContext, collection: string, row: Item, fields: readonly string[]): Record<string, JsonValue> | undefined => {
  const out: Record<string, JsonValue> = {};
  const nested = new Map<string, string[]>();
  for (const field of fields) {
    const [head, ...rest] = field.split('.');
    const names = head === '*' ? Object.keys(row) : [head!];
    for (const name of names) {
      if (!Object.hasOwn(row, name)) return undefined;
      const value = row[name]!;
      if (rest.length > 0 && SYSTEM_RELATIONS[collection]?.[name]) nested.set(name, [...(nested.get(name) ?? []), rest.join('.')]);
      else if (rest.length > 0) return undefined;
      else out[name] = CONCEALED.has(name) && value !== null ? '**********' : value;
    }
  }
  for (const [name, sub] of nested) {
    const related = SYSTEM_RELATIONS[collection]![name]!;
    const target = rows(ctx, related).find((r) => r['id'] === row[name]);
    const projected = target ? project(ctx, related, target, sub) : null;
    if (projected === undefined) return undefined;
    out[name] = projected;
  }
  return out;
};

/** The caller's own user record; a caller who may not read users (or asks for a field they lack) gets `{id}`. */
export const usersMe = (ctx: RestContext): RestOutcome => {
  const id = ctx.accountability.user;
  if (id === null) return answer(ctx, failure(invalidCredentials()));
  const query = sanitizeQuery(ctx.query);
  const fields = !isFailure(query) && query.fields && query.fields.length > 0 ? query.fields : ['*'];
  const allowed = allowedFields(ctx.state.data, ctx.accountability, 'directus_users', 'read');
  const user = rows(ctx, 'directus_users').find((u) => u['id'] === id);
  const visible = user && allowed !== null && (allowed === '*' || fields.every((f) => f !== '*' && allowed.has(f.split('.')[0]!)));
  const data = visible ? project(ctx, 'directus_users', user, fields) : undefined;
  return answer(ctx, ok({ data: data ?? { id } }));
};
