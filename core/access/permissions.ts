// Directus 11+ access model over the `directus_*` records: users → roles → policies (via
// `directus_access`), the public policy for unauthenticated connections, `admin_access` bypass.
import type { Accountability, Data, Item, JsonValue } from '../types.ts';

export type Action = 'create' | 'read' | 'update' | 'delete';

export const PUBLIC: Accountability = { user: null, role: null, roles: [], policies: [], admin: false, app: false };

const rows = (data: Data, name: string): readonly Item[] => data.system[name] ?? [];

/** A role and its ancestors (Directus 11 nested roles), nearest first. */
const roleChain = (data: Data, role: string | null): string[] => {
  const chain: string[] = [];
  let current = role;
  while (current !== null && !chain.includes(current)) {
    chain.push(current);
    const parent = rows(data, 'directus_roles').find((r) => r['id'] === current)?.['parent'];
    current = typeof parent === 'string' ? parent : null;
  }
  return chain;
};

/** The accountability of a user record (roles, policies, admin flags from its policies). */
export const accountabilityFor = (data: Data, user: Item | null): Accountability => {
  const userId = user && typeof user['id'] === 'string' ? user['id'] : user ? String(user['id']) : null;
  const role = user && typeof user['role'] === 'string' ? user['role'] : null;
  const roles = user ? roleChain(data, role) : [];
  const policies = rows(data, 'directus_access')
    .filter((a) =>
      user
        ? (a['user'] !== null && a['user'] !== undefined && a['user'] === userId) ||
          (typeof a['role'] === 'string' && roles.includes(a['role']))
        : (a['user'] === null || a['user'] === undefined) && (a['role'] === null || a['role'] === undefined))
    .map((a) => String(a['policy']));
  const policyRows = rows(data, 'directus_policies').filter((p) => policies.includes(String(p['id'])));
  return {
    user: userId,
    role,
    roles,
    policies,
    admin: policyRows.some((p) => p['admin_access'] === true),
    app: policyRows.some((p) => p['app_access'] === true),
  };
};

/**
 * Whether the data is open: it holds no `directus_*` record at all (a json-server style file). Nobody
 * could ever sign in to such data, so instead of refusing everything the public role may do
 * everything; as soon as the data has any system record, Directus's rules apply.
 */
export const isOpen = (data: Data): boolean => {
  for (const name in data.system) if (data.system[name]!.length > 0) return false;
  return true;
};

/** The public role of open data: every collection, every action, every field. */
const OPEN: Accountability = { user: null, role: null, roles: [], policies: [], admin: true, app: true };

/** The public accountability, with the public policy (the access row with neither role nor user). */
export const publicAccountability = (data: Data): Accountability => isOpen(data) ? OPEN : accountabilityFor(data, null);

export interface Permission {
  readonly collection: string;
  readonly action: Action;
  readonly fields: readonly string[] | null;
  readonly permissions: JsonValue;
  readonly validation: JsonValue;
  readonly presets: JsonValue;
}

/** The permission rows that apply to this accountability for one collection and action. */
export const permissionsFor = (data: Data, who: Accountability, collection: string, action: Action): Permission[] =>
  rows(data, 'directus_permissions')
    .filter((p) => p['collection'] === collection && p['action'] === action && who.policies.includes(String(p['policy'])))
    .map((p) => ({
      collection,
      action,
      fields: Array.isArray(p['fields']) ? (p['fields'] as string[]) : typeof p['fields'] === 'string' ? p['fields'].split(',') : null,
      permissions: p['permissions'] ?? null,
      validation: p['validation'] ?? null,
      presets: p['presets'] ?? null,
    }));

/** Fields this accountability may use for `action` on `collection`: '*', a set, or null (no access). */
export const allowedFields = (data: Data, who: Accountability, collection: string, action: Action): '*' | Set<string> | null => {
  if (who.admin) return '*';
  const perms = permissionsFor(data, who, collection, action);
  if (perms.length === 0) return null;
  const fields = new Set<string>();
  for (const p of perms) for (const f of p.fields ?? []) fields.add(f);
  return fields.has('*') ? '*' : fields;
};
