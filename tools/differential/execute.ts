// Runs one case against one target and records what came back: REST replies and, per WebSocket
// connection, every frame (a sentinel read after each message tells when the server is done).
import type { Call, Case, Who } from './cases.ts';
import type { SchemaModel } from './model.ts';
import type { RestReply, Socket, Target } from './targets.ts';

export type Reply =
  | { readonly call: number; readonly kind: 'rest'; readonly status: number; readonly body: unknown }
  | { readonly call: number; readonly kind: 'ws'; readonly conn: string; readonly frames: readonly unknown[] };
export interface Outcome { readonly replies: Reply[]; readonly error?: string }

const SENTINEL = '~sentinel';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `grace`: how long a server may take after its last expected frame (Directus answers messages
 * concurrently, so a reply can trail the sentinel's; subscription events trail the write's reply).
 */
export const execute = async (target: Target, model: SchemaModel, kase: Case, grace: number): Promise<Outcome> => {
  const tokens: Record<Who, string | null> = { admin: model.tokens.admin, restricted: model.tokens.restricted, public: null };
  const sockets = new Map<string, Socket>();
  const replies: Reply[] = [];
  const probe = model.collections.find((c) => !c.singleton)!;
  const sentinel = (n: number) => ({ type: 'items', collection: probe.name, action: 'read', query: { limit: 1, fields: [probe.pk] }, uid: `${SENTINEL}${n}` });
  const connect = async (who: Who | 'raw'): Promise<Socket> => {
    const known = sockets.get(who);
    if (known) return known;
    const s = await target.socket(who === 'raw' ? 'handshake' : 'public');
    sockets.set(who, s);
    if (who === 'admin' || who === 'restricted') {
      s.send({ type: 'auth', access_token: tokens[who] });
      await s.settle((f) => f?.type === 'auth', 2000, 0);
      s.frames.length = 0;
    }
    return s;
  };
  const subscribes = kase.calls.some((c) => c.via === 'ws' && (c.message as any)?.type === 'subscribe');
  try {
    for (const [i, call] of kase.calls.entries()) {
      // A write's events reach subscribers after the write's own reply: let them arrive first.
      if (subscribes && i > 1) await sleep(grace * 3);
      if (call.via === 'rest') {
        const r: RestReply = await target.rest(call, tokens);
        replies.push({ call: i, kind: 'rest', status: r.status, body: r.body });
        continue;
      }
      const s = await connect(call.who);
      s.send(call.message);
      if (call.who === 'raw') {
        await s.settle(() => true, 1500, grace);
        continue;
      }
      s.send(sentinel(i));
      await s.settle((f) => f?.uid === `${SENTINEL}${i}`, 2500, 0);
      const uid = (call.message as any)?.uid;
      const answered = (f: any) => f?.uid !== undefined && String(f.uid) === String(uid);
      // The reply to this message may trail the sentinel's; without a uid there is nothing to wait for.
      if (uid === undefined || typeof uid === 'object') await sleep(grace * 2);
      else if (!s.frames.some(answered)) await s.settle(answered, grace * 3, 0);
      await sleep(grace);
    }
    // Events a trailing write fired reach the subscriber after the write's own reply.
    if (subscribes) await sleep(grace * 3);
  } catch (e) {
    return { replies, error: String(e) };
  } finally {
    for (const [who, s] of sockets) {
      replies.push({ call: -1, kind: 'ws', conn: who, frames: s.frames.filter((f: any) => !String(f?.uid ?? '').startsWith(SENTINEL)) });
      s.close();
    }
  }
  return { replies };
};

/** Every collection's rows as the admin reads them over REST, stored fields only, by primary key. */
export const dump = async (target: Target, model: SchemaModel): Promise<Record<string, unknown>> => {
  const out: Record<string, unknown> = {};
  for (const c of model.collections) {
    const fields = c.fields.filter((f) => f.type !== 'alias').map((f) => f.name).join(',');
    const call: Extract<Call, { via: 'rest' }> = { via: 'rest', who: 'admin', method: 'GET', path: `/items/${c.name}`, query: c.singleton ? `fields=${fields}` : `fields=${fields}&limit=-1&sort=${c.pk}` };
    const r = await target.rest(call, { admin: model.tokens.admin, restricted: null, public: null });
    out[c.name] = (r.body as any)?.data ?? r.body;
  }
  return out;
};
