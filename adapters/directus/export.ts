// `standin export`: what a Directus takes to become the same instance as a standin data file. A
// schema snapshot for `directus schema apply` (or `POST /schema/diff` + `/schema/apply`), and the
// records as bodies its REST API takes, with a manifest that says in which order to send them:
// roles, policies, users, access, permissions, then the collections, each after the collections its
// m2o fields point at. A field that points back (a self-relation, a cycle) is sent in a second pass.
import {
  createState, dataToJson, snapshotJson, snapshotOf, type JsonObject, type JsonValue, type Schema,
} from '../../core/index.ts';

/** One step of loading: send `file` (an array of records, or a singleton's object) to `path`. */
export interface LoadStep {
  readonly file: string;
  readonly path: string;
  /** `POST` creates the records; a singleton is written with `PATCH`. */
  readonly method: 'POST' | 'PATCH';
  /** The primary key field, for the second pass. */
  readonly primary: string;
  /** Fields left out of the first pass and set by `PATCH` once every record exists. */
  readonly deferred: readonly string[];
}

export interface Manifest {
  readonly directus: string;
  readonly schema: string;
  readonly steps: readonly LoadStep[];
}

export interface Exported {
  /** Relative path → file content (JSON). */
  readonly files: Readonly<Record<string, JsonValue>>;
  readonly manifest: Manifest;
  /** What does not carry over, one line each (e.g. a password kept only as a hash). */
  readonly warnings: readonly string[];
}

const SYSTEM_STEPS: readonly (readonly [collection: string, path: string])[] = [
  ['directus_roles', '/roles'],
  ['directus_policies', '/policies'],
  ['directus_users', '/users'],
  ['directus_access', '/access'],
  ['directus_permissions', '/permissions'],
];

/** The m2o targets of `collection` (the collections its foreign keys point at). */
const targetsOf = (schema: Schema, collection: string): Map<string, string> => {
  const out = new Map<string, string>();
  for (const r of schema.relations) {
    if (r.manyCollection === collection && r.oneCollection !== null) out.set(r.manyField, r.oneCollection);
  }
  return out;
};

/**
 * Collections in an order where each comes after the collections it points at; what cannot be
 * ordered so (self-relations, cycles) is deferred field by field.
 */
const loadOrder = (schema: Schema, names: readonly string[]): { name: string; deferred: string[] }[] => {
  const placed = new Set<string>();
  const order: { name: string; deferred: string[] }[] = [];
  const pending = [...names];
  while (pending.length > 0) {
    const ready = pending.findIndex((name) =>
      [...targetsOf(schema, name).values()].every((t) => t === name || placed.has(t) || !names.includes(t)));
    // A cycle: take the first collection and defer its fields into collections not yet placed.
    const index = ready === -1 ? 0 : ready;
    const name = pending.splice(index, 1)[0]!;
    const deferred = [...targetsOf(schema, name)].filter(([, t]) => t === name || (names.includes(t) && !placed.has(t))).map(([f]) => f);
    placed.add(name);
    order.push({ name, deferred });
  }
  return order;
};

/** Roles whose parent comes first; the role tree has no cycles in Directus. */
const rolesParentsFirst = (roles: readonly JsonObject[]): JsonObject[] => {
  const out: JsonObject[] = [];
  const placed = new Set<JsonValue>();
  let rest = [...roles];
  while (rest.length > 0) {
    const next = rest.filter((r) => r['parent'] === null || r['parent'] === undefined || placed.has(r['parent']!) || !roles.some((o) => o['id'] === r['parent']));
    const batch = next.length > 0 ? next : rest;
    for (const r of batch) placed.add(r['id']!);
    out.push(...batch);
    rest = rest.filter((r) => !batch.includes(r));
  }
  return out;
};

const usersForDirectus = (users: readonly JsonObject[], warnings: string[]): JsonObject[] =>
  users.map((user) => {
    const password = user['password'];
    if (typeof password === 'string' && password.startsWith('$argon2')) {
      // Directus hashes whatever password it is given: a hash can only travel by database, not by API.
      warnings.push(`user ${String(user['email'] ?? user['id'])}: the password is an argon2 hash, which Directus's API cannot take; set a new one`);
      const { password: _hash, ...rest } = user;
      return rest;
    }
    return user;
  });

const records = (value: JsonValue | undefined): JsonObject[] =>
  Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) as JsonObject[]) : [];

export const exportFor = (options: { readonly data: unknown; readonly schema?: unknown }): Exported => {
  const state = createState({ data: options.data, schema: options.schema });
  if (!('connections' in state)) throw new Error(state.message);
  const { schema } = state;
  const json = dataToJson(schema, state.data);
  const snapshot = snapshotJson(snapshotOf(schema));
  const warnings: string[] = [];
  const files: Record<string, JsonValue> = { 'schema.json': snapshot };
  const steps: LoadStep[] = [];

  for (const [collection, path] of SYSTEM_STEPS) {
    let rows = records(json[collection]);
    if (rows.length === 0) continue;
    if (collection === 'directus_roles') rows = rolesParentsFirst(rows);
    if (collection === 'directus_users') rows = usersForDirectus(rows, warnings);
    const file = `system/${collection.replace('directus_', '')}.json`;
    files[file] = rows;
    steps.push({ file, path, method: 'POST', primary: 'id', deferred: [] });
  }
  for (const { name, deferred } of loadOrder(schema, Object.keys(schema.collections))) {
    const collection = schema.collections[name]!;
    const value = json[name];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    const file = `items/${name}.json`;
    files[file] = value;
    const path = `/items/${encodeURIComponent(name)}`;
    steps.push({ file, path, method: collection.singleton ? 'PATCH' : 'POST', primary: collection.primary, deferred });
  }
  const manifest: Manifest = { directus: String(snapshot['directus']), schema: 'schema.json', steps };
  files['manifest.json'] = manifest as unknown as JsonValue;
  return { files, manifest, warnings };
};
