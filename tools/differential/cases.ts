// The requests: a Case is one or more calls (REST or WebSocket) by one identity, tagged with what it
// exercises and whether every part of it is well-formed.
import qs from 'qs';
import type { CollectionModel, SchemaModel } from './model.ts';
import { drawQuery } from './query.ts';
import type { Random } from './random.ts';
import { keyFor, valueFor } from './values.ts';

export type Who = 'admin' | 'restricted' | 'public';
export type Call =
  | { readonly via: 'rest'; readonly who: Who; readonly method: string; readonly path: string; readonly query: string; readonly body?: unknown; readonly token?: string }
  /** A WebSocket message on the case's connection for `who` (`raw` is sent as is, unauthenticated). */
  | { readonly via: 'ws'; readonly who: Who | 'raw'; readonly message: unknown };
export interface Case {
  readonly n: number;
  readonly calls: readonly Call[];
  readonly wellFormed: boolean;
  /** Whether the data may change (both sides are reset after it). */
  readonly write: boolean;
  readonly tags: readonly string[];
}

const enc = encodeURIComponent;
/** A query object as a REST query string: JSON per parameter (the SDK's way) or qs brackets. */
export const queryString = (r: Random, query: Record<string, unknown>): { text: string; form: string } => {
  if (r.chance(0.5)) {
    return {
      form: 'json', text: Object.entries(query).map(([k, v]) =>
        `${enc(k)}=${enc(typeof v === 'string' ? v : Array.isArray(v) && ['fields', 'sort', 'groupBy'].includes(k) && v.every((x) => typeof x === 'string') ? v.join(',') : JSON.stringify(v))}`).join('&'),
    };
  }
  return { form: 'brackets', text: qs.stringify(query, { encodeValuesOnly: true }) };
};

class CaseBuilder {
  readonly tags = new Set<string>();
  ok = true;
  readonly r: Random;
  readonly m: SchemaModel;
  constructor(r: Random, m: SchemaModel) { this.r = r; this.m = m; }
  take(d: { ok: boolean; tags?: readonly string[] }) { if (!d.ok) this.ok = false; d.tags?.forEach((t) => this.tags.add(t)); }

  payload(c: CollectionModel, create: boolean): Record<string, unknown> {
    const r = this.r;
    const out: Record<string, unknown> = {};
    const writable = c.fields.filter((f) => f.type !== 'alias' && (f.name !== c.pk || (create && c.pkType === 'string')));
    for (const f of r.some(writable, 4)) {
      const d = valueFor(r, c, f, 0.12);
      if (!d.ok) { this.ok = false; this.tags.add(`bad-value:${f.type}`); }
      out[f.name] = d.value;
    }
    if (create && c.pkType === 'string') out[c.pk] = r.chance(0.85) ? `K${r.int(1000)}` : r.pick(c.rows.map((x) => x[c.pk]));
    const m2o = c.links.find((l) => l.kind === 'm2o');
    if (m2o && r.chance(0.2)) {
      const target = this.m.collections.find((x) => x.name === m2o.target);
      this.tags.add('nested-write');
      if (target) out[m2o.field] = r.chance(0.5) ? keyFor(r, target, 0).value : this.payload(target, true);
    }
    const o2m = c.links.find((l) => l.kind === 'o2m');
    if (o2m && r.chance(0.1)) { this.tags.add('nested-write'); out[o2m.field] = r.chance(0.5) ? [] : [{}]; }
    if (r.chance(0.04)) { this.ok = false; this.tags.add('bad:unknown-field'); out['nope'] = 1; }
    return out;
  }

  key(c: CollectionModel) {
    const k = keyFor(this.r, c);
    if (!k.ok) { this.ok = false; this.tags.add('key:bad'); }
    return k.value;
  }
}

type Action = 'read' | 'create' | 'update' | 'delete';
interface Intent { readonly c: CollectionModel; readonly action: Action; readonly form: string; id?: unknown; ids?: unknown[]; query?: Record<string, unknown>; data?: unknown }

const intent = (b: CaseBuilder, c: CollectionModel): Intent => {
  const r = b.r;
  if (c.singleton) {
    b.tags.add('singleton');
    if (r.chance(0.6)) { const q = drawQuery(r, b.m, c, false); b.take(q); return { c, action: 'read', form: 'singleton', query: q.query }; }
    return { c, action: 'update', form: 'singleton', data: b.payload(c, false) };
  }
  const action = r.pick<Action>(['read', 'read', 'read', 'create', 'update', 'delete']);
  const form = action === 'create' ? r.pick(['one', 'batch']) : r.pick(action === 'read' ? ['query', 'query', 'id', 'ids'] : ['id', 'ids', 'query', ...(action === 'update' ? ['batch'] : [])]);
  const i: Intent = { c, action, form };
  if (form === 'id') i.id = b.key(c);
  if (form === 'ids') i.ids = Array.from({ length: 1 + r.int(3) }, () => b.key(c));
  if (form === 'query' || action === 'read' || r.chance(0.3)) {
    const q = action === 'read' || form === 'query' ? drawQuery(r, b.m, c, action === 'read') : drawQuery(r, b.m, c, false);
    b.take(q);
    i.query = form === 'query' && action !== 'read' && !q.query['filter'] ? { ...q.query, filter: { [c.pk]: { _nnull: true } } } : q.query;
  }
  if (action === 'create') i.data = form === 'batch' ? Array.from({ length: 1 + r.int(3) }, () => b.payload(c, true)) : b.payload(c, true);
  if (action === 'update') i.data = form === 'batch' ? Array.from({ length: 1 + r.int(2) }, () => ({ [c.pk]: b.key(c), ...b.payload(c, false) })) : b.payload(c, false);
  b.tags.add(`${action}:${form}`);
  return i;
};

const wsMessage = (r: Random, i: Intent, uid: string): Record<string, unknown> => {
  const msg: Record<string, unknown> = { type: 'items', collection: i.c.name, action: i.action };
  if (i.id !== undefined) msg['id'] = i.id;
  if (i.ids !== undefined) msg['ids'] = i.ids;
  if (i.query !== undefined) msg['query'] = i.query;
  if (i.data !== undefined) msg['data'] = i.data;
  if (r.chance(0.95)) msg['uid'] = uid;
  return msg;
};

const restCall = (r: Random, b: CaseBuilder, i: Intent, who: Who): Call => {
  const path = `/items/${i.c.name}`;
  const q = i.query ? queryString(r, i.query) : { text: '', form: 'none' };
  b.tags.add(`qs:${q.form}`);
  const idPath = (id: unknown) => `${path}/${enc(typeof id === 'object' ? JSON.stringify(id) : String(id))}`;
  const call = (method: string, p: string, body?: unknown, query = q.text): Call => ({ via: 'rest', who, method, path: p, query, ...(body === undefined ? {} : { body }) });
  switch (i.action) {
    case 'read':
      if (i.form === 'id') return call('GET', idPath(i.id));
      if (i.form === 'ids') return call('GET', path, undefined, [q.text, qs.stringify({ filter: { [i.c.pk]: { _in: i.ids } } })].filter(Boolean).join('&'));
      return call('GET', path);
    case 'create': return call('POST', path, i.data);
    case 'update':
      if (i.form === 'singleton' || i.form === 'batch') return call('PATCH', path, i.data);
      if (i.form === 'id') return call('PATCH', idPath(i.id), i.data);
      if (i.form === 'ids') return call('PATCH', path, { keys: i.ids, data: i.data });
      return call('PATCH', path, { query: i.query, data: i.data }, '');
    case 'delete':
      if (i.form === 'id') return call('DELETE', idPath(i.id));
      if (i.form === 'ids') return call('DELETE', path, r.chance(0.5) ? i.ids : { keys: i.ids });
      return call('DELETE', path, { query: i.query }, '');
  }
};

const pickWho = (r: Random): Who => r.pick<Who>(['admin', 'admin', 'admin', 'restricted', 'restricted', 'public']);

/** An items request over REST or WebSocket. */
const itemsCase = (b: CaseBuilder): { calls: Call[]; write: boolean } => {
  const r = b.r;
  const c = r.pick(b.m.collections);
  if (c.sortField) b.tags.add('sort-field');
  const i = intent(b, c);
  const who = pickWho(r);
  b.tags.add(`as:${who}`);
  const write = i.action !== 'read';
  if (r.chance(0.5)) { b.tags.add('ws'); return { calls: [{ via: 'ws', who, message: wsMessage(r, i, 'q1') }], write }; }
  b.tags.add('rest');
  return { calls: [restCall(r, b, i, who)], write };
};

/** A subscription, a write by the admin that fires its event, then an unsubscribe. */
const subscriptionCase = (b: CaseBuilder): { calls: Call[]; write: boolean } => {
  const r = b.r;
  const c = r.pick(b.m.collections.filter((x) => !x.singleton));
  const who = pickWho(r);
  b.tags.add('subscribe').add(`as:${who}`);
  const sub: Record<string, unknown> = { type: 'subscribe', collection: r.chance(0.05) ? 'nope' : c.name };
  if (sub['collection'] === 'nope') { b.ok = false; b.tags.add('bad:collection'); }
  if (r.chance(0.5)) { const q = drawQuery(r, b.m, c, false); b.take(q); sub['query'] = q.query; }
  if (r.chance(0.3)) sub['event'] = r.pick(['create', 'update', 'delete', 'nope']);
  if (sub['event'] === 'nope') { b.ok = false; b.tags.add('bad:event'); }
  if (r.chance(0.95)) sub['uid'] = 's1';
  const writer = new CaseBuilder(r, b.m);
  const w = intent(writer, c);
  const writeIntent = w.action === 'read' ? { ...w, action: 'create' as const, form: 'one', data: writer.payload(c, true) } : w;
  const trigger: Call = r.chance(0.5) ? { via: 'ws', who: 'admin', message: wsMessage(r, writeIntent, 'w1') } : restCall(r, writer, writeIntent, 'admin');
  writer.tags.forEach((t) => b.tags.add(`trigger-${t}`));
  const calls: Call[] = [{ via: 'ws', who, message: sub }, trigger];
  if (r.chance(0.5)) calls.push({ via: 'ws', who, message: { type: 'unsubscribe', uid: sub['uid'] ?? 's1' } });
  return { calls, write: true };
};

/** Logins and tokens: WebSocket auth frames and REST access_token variants. */
const authCase = (b: CaseBuilder): { calls: Call[]; write: boolean } => {
  const r = b.r;
  b.tags.add('auth');
  const c = r.pick(b.m.collections);
  const token = r.pick([b.m.tokens.admin, b.m.tokens.restricted, '', 'wrong-token', 5, null]);
  if (typeof token !== 'string' || token === '' || token === 'wrong-token') b.ok = false;
  if (r.chance(0.5)) {
    const auth = r.chance(0.7) ? { type: 'auth', access_token: token } : r.pick([{ type: 'auth', email: 'admin@example.com', password: 'admin' }, { type: 'auth', email: 'admin@example.com', password: 'nope' }, { type: 'auth' }]);
    b.tags.add('ws');
    return { calls: [{ via: 'ws', who: 'raw', message: auth }, { via: 'ws', who: 'raw', message: { type: 'items', collection: c.name, action: 'read', query: { limit: 1 }, uid: 'a1' } }], write: false };
  }
  b.tags.add('rest');
  const query = r.chance(0.5) ? `access_token=${enc(String(token ?? ''))}&limit=1` : 'limit=1';
  return { calls: [{ via: 'rest', who: 'public', method: 'GET', path: `/items/${c.name}`, query, ...(query.startsWith('access') ? {} : { token: String(token ?? '') }) }], write: false };
};

/** Malformed frames and unknown actions over the socket. */
const malformedCase = (b: CaseBuilder): { calls: Call[]; write: boolean } => {
  const r = b.r;
  b.ok = false;
  b.tags.add('malformed').add('ws');
  const c = r.pick(b.m.collections);
  const message = r.pick<unknown>([
    { type: 'items', collection: c.name, action: 'nope', uid: 'm1' }, { type: 'items', action: 'read', uid: 'm1' },
    { type: 'items', collection: 'nope', action: 'read', uid: 'm1' }, { type: 'items', collection: c.name, action: 'read', query: 'x', uid: 'm1' },
    { type: 'items', collection: c.name, action: 'create', uid: 'm1' }, { type: 'items', collection: c.name, action: 'update', data: { a: 1 }, uid: 'm1' },
    { type: 'items', collection: c.name, action: 'delete', uid: 'm1' }, { type: 'nope', uid: 'm1' }, { type: 'items', collection: 5, action: 'read', uid: 'm1' },
    { type: 'items', collection: c.name, action: 'read', uid: { x: 1 } }, { type: 'items', collection: c.name, action: 'read', id: null, uid: 'm1' },
  ]);
  return { calls: [{ via: 'ws', who: 'admin', message }], write: true };
};

export const drawCase = (r: Random, m: SchemaModel, n: number): Case => {
  const b = new CaseBuilder(r, m);
  const x = r.next();
  const { calls, write } = x < 0.78 ? itemsCase(b) : x < 0.9 ? subscriptionCase(b) : x < 0.96 ? authCase(b) : malformedCase(b);
  return { n, calls, write, wellFormed: b.ok, tags: [...b.tags] };
};
