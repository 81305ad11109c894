// What the generator needs to know about a fixture: collections, keys, field types, relations, rows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FieldModel { readonly name: string; readonly type: string; readonly special: readonly string[] }
export interface RelationLink {
  /** `m2o`: field holds the related key; `o2m`: alias listing rows of `collection` whose `field` points here; `m2m`/`m2a` via a junction. */
  readonly kind: 'm2o' | 'o2m' | 'm2m' | 'm2a';
  readonly field: string;
  readonly target: string | null;
}
export interface CollectionModel {
  readonly name: string;
  readonly pk: string;
  readonly pkType: string;
  readonly singleton: boolean;
  readonly sortField: string | null;
  readonly fields: readonly FieldModel[];
  readonly links: readonly RelationLink[];
  readonly rows: readonly Record<string, unknown>[];
}
export interface Role { readonly who: 'admin' | 'restricted' | 'public'; readonly token: string | null }
export interface SchemaModel {
  readonly name: string;
  readonly dir: string;
  readonly data: Record<string, unknown>;
  readonly snapshot: any;
  readonly collections: readonly CollectionModel[];
  readonly tokens: { readonly admin: string; readonly restricted: string };
  /** Every uuid in the fixture: these are kept when replies are normalised. */
  readonly knownUuids: ReadonlySet<string>;
}

export const loadModel = (root: string, name: string): SchemaModel => {
  const dir = join(root, 'test/fixtures/differential', name);
  const data = JSON.parse(readFileSync(join(dir, 'db.json'), 'utf8'));
  const snapshot = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'));
  const relations: any[] = snapshot.relations;
  const collections = (snapshot.collections as any[]).filter((c) => c.schema).map((c): CollectionModel => {
    const fields = (snapshot.fields as any[]).filter((f) => f.collection === c.collection);
    const pkField = fields.find((f) => f.schema?.is_primary_key);
    const links: RelationLink[] = [];
    for (const f of fields) {
      const m2o = relations.find((r) => r.collection === c.collection && r.field === f.field && r.related_collection);
      if (m2o) links.push({ kind: 'm2o', field: f.field, target: m2o.related_collection });
      const special: string[] = f.meta?.special ?? [];
      if (f.type === 'alias' && special.length) {
        const kind = special.includes('m2m') ? 'm2m' : special.includes('m2a') ? 'm2a' : 'o2m';
        const back = relations.find((r) => r.related_collection === c.collection && r.meta?.one_field === f.field);
        links.push({ kind, field: f.field, target: back?.collection ?? null });
      }
    }
    const raw = data[c.collection];
    return {
      name: c.collection, pk: pkField?.field ?? 'id', pkType: pkField?.type ?? 'integer', singleton: !!c.meta?.singleton,
      sortField: c.meta?.sort_field ?? null,
      fields: fields.map((f) => ({ name: f.field, type: f.type, special: f.meta?.special ?? [] })),
      links, rows: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
    };
  });
  const users: any[] = data.directus_users ?? [];
  const policies: any[] = data.directus_policies ?? [];
  const access: any[] = data.directus_access ?? [];
  const isAdminRole = (role: string) => access.some((a) => a.role === role && policies.find((p) => p.id === a.policy)?.admin_access);
  const admin = users.find((u) => isAdminRole(u.role))?.token;
  const restricted = users.find((u) => !isAdminRole(u.role))?.token;
  const knownUuids = new Set<string>(JSON.stringify(data).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? []);
  return { name, dir, data, snapshot, collections, tokens: { admin, restricted }, knownUuids };
};
