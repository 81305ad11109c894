// `standin pull`: reads a live Directus into a data file and a schema snapshot that standin serves to
// the same replies: the snapshot, the roles, policies, access rows, permissions and users, and the
// items of every user collection, paged in primary-key order.
import { schemaFromSnapshot, type JsonObject, type JsonValue } from '../../core/index.ts';
import { directusClient, type Fetch } from './client.ts';

export interface PullOptions {
  readonly url: string;
  /** An admin's token: only admins may read the schema snapshot. */
  readonly token: string;
  /** Only these collections (and the relations between them); all user collections when absent. */
  readonly collections?: readonly string[];
  /** At most this many items per collection (the first by primary key). */
  readonly limit?: number;
  /** Items per request. */
  readonly pageSize?: number;
  /** Write the token given here as its user's static token, so the pulled file accepts it too. */
  readonly keepToken?: boolean;
  readonly fetch?: Fetch;
  /** Progress lines (`posts 5000/100000`). */
  readonly progress?: (line: string) => void;
}

export interface Pulled {
  /** A db.json value: collections, then the `directus_*` records. */
  readonly data: Record<string, JsonValue>;
  /** The schema snapshot (`GET /schema/snapshot`'s `data`), trimmed to the pulled collections. */
  readonly schema: JsonObject;
}

/** The system records standin keeps, with the stored fields Directus has for each. */
const SYSTEM: readonly (readonly [collection: string, path: string, fields: string])[] = [
  ['directus_roles', '/roles', 'id,name,icon,description,parent'],
  ['directus_policies', '/policies', 'id,name,icon,description,ip_access,enforce_tfa,admin_access,app_access'],
  ['directus_access', '/access', 'id,role,user,policy,sort'],
  ['directus_permissions', '/permissions', 'id,policy,collection,action,permissions,validation,presets,fields'],
];
/** Directus never sends these over its API, only this mask. */
const CONCEALED = '**********';

const list = (value: unknown): JsonObject[] => (Array.isArray(value) ? (value as JsonObject[]) : []);

const trimmedSnapshot = (snapshot: JsonObject, keep: ReadonlySet<string>): JsonObject => {
  const inKeep = (record: JsonObject) => keep.has(String(record['collection']));
  // A relation stays when both ends were pulled (an m2a's other ends are named by data, not schema).
  const related = (record: JsonObject) =>
    inKeep(record) && (record['related_collection'] === null || keep.has(String(record['related_collection'])));
  return {
    ...snapshot,
    collections: list(snapshot['collections']).filter(inKeep),
    fields: list(snapshot['fields']).filter(inKeep),
    relations: list(snapshot['relations']).filter(related),
  };
};

/** Users as Directus lists them, minus the masked secrets and the `policies` alias. */
const pulledUsers = (users: readonly JsonObject[], tokenOwner: string | undefined, token: string): JsonObject[] =>
  users.map((user) => {
    const { policies: _alias, ...stored } = user;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(stored)) out[key] = value === CONCEALED ? null : value;
    if (tokenOwner !== undefined && user['id'] === tokenOwner) out['token'] = token;
    return out;
  });

export const pull = async (options: PullOptions): Promise<Pulled> => {
  const client = directusClient(options.url, options.token, options.fetch);
  const say = options.progress ?? (() => {});
  const pageSize = options.pageSize ?? 5000;

  const full = (await client.request('GET', '/schema/snapshot')) as JsonObject;
  const schema = schemaFromSnapshot(full);
  const known = Object.keys(schema.collections);
  for (const name of options.collections ?? []) {
    if (!known.includes(name)) throw new Error(`no collection "${name}" in ${options.url} (it has: ${known.join(', ') || 'none'})`);
  }
  const names = options.collections ? known.filter((c) => options.collections!.includes(c)) : known;
  say(`schema: ${names.length} collection(s), ${list(full['relations']).length} relation(s)`);

  const data: Record<string, JsonValue> = {};
  for (const name of names) {
    const collection = schema.collections[name]!;
    const stored = collection.fieldOrder.filter((f) => !collection.fields[f]!.alias).join(',');
    if (collection.singleton) {
      const item = (await client.request('GET', `/items/${encodeURIComponent(name)}?fields=${stored}`)) as JsonObject | null;
      // A singleton with no row reads as its defaults with a null key: there is nothing to keep.
      const exists = item !== null && item[collection.primary] !== null && item[collection.primary] !== undefined;
      if (exists) data[name] = item;
      say(`${name}: singleton${exists ? '' : ' (no row)'}`);
      continue;
    }
    const counted = (await client.request('GET', `/items/${encodeURIComponent(name)}?aggregate[count]=*`)) as { count: number | string }[];
    const total = Math.min(Number(counted[0]?.count ?? 0), options.limit ?? Infinity);
    const rows: JsonObject[] = [];
    // Keyset paging (`pk > last`, sorted by pk): each page costs the same, however deep it is.
    while (rows.length < total) {
      const size = Math.min(pageSize, total - rows.length);
      const after = rows.length === 0 ? '' : `&filter[${collection.primary}][_gt]=${encodeURIComponent(String(rows.at(-1)![collection.primary]))}`;
      const path = `/items/${encodeURIComponent(name)}?fields=${stored}&sort=${collection.primary}&limit=${size}${after}`;
      const batch = list(await client.request('GET', path));
      rows.push(...batch);
      say(`${name}: ${rows.length}/${total}`);
      // Rows deleted while pulling: stop at what is there.
      if (batch.length < size) break;
    }
    if (total === 0) say(`${name}: 0/0`);
    data[name] = rows;
  }

  for (const [collection, path, fields] of SYSTEM) {
    // `system: true` permissions are the ones Directus grants every app user; it stores none of them.
    data[collection] = list(await client.request('GET', `${path}?limit=-1&fields=${fields}`)).filter((r) => r['system'] !== true);
  }
  const me = options.keepToken ? ((await client.request('GET', '/users/me?fields=id')) as { id: string }).id : undefined;
  const users = list(await client.request('GET', '/users?limit=-1&fields=*'));
  data['directus_users'] = pulledUsers(users, me, options.token);
  say(`system: ${list(data['directus_roles']).length} role(s), ${list(data['directus_policies']).length} policy(ies), ${users.length} user(s), ${list(data['directus_permissions']).length} permission(s)`);

  return { data, schema: trimmedSnapshot(full, new Set(names)) };
};
