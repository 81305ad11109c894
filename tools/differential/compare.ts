// Whether two outcomes agree, and for writes what each server changed in its data.
import type { Outcome, Reply } from './execute.ts';
import { canonical, normalise } from './normalise.ts';
import type { SchemaModel } from './model.ts';

export interface Changes { readonly [collection: string]: { added: string[]; removed: string[]; changed: string[] } }

export const changesOf = (model: SchemaModel, before: Record<string, unknown>, after: Record<string, unknown>): Changes => {
  const out: Record<string, { added: string[]; removed: string[]; changed: string[] }> = {};
  for (const c of model.collections) {
    const rows = (d: unknown) => new Map((Array.isArray(d) ? d : d && typeof d === 'object' && !('errors' in d) ? [d] : []).map((r: any) => [canonical(r?.[c.pk]), canonical(normalise(r, model.knownUuids))]));
    const b = rows(before[c.name]);
    const a = rows(after[c.name]);
    const added = [...a].filter(([k]) => !b.has(k)).map(([, v]) => v).sort();
    const removed = [...b.keys()].filter((k) => !a.has(k)).sort();
    const changed = [...a].filter(([k, v]) => b.has(k) && b.get(k) !== v).map(([, v]) => v).sort();
    if (added.length || removed.length || changed.length) out[c.name] = { added, removed, changed };
  }
  return out;
};

export const normaliseReplies = (model: SchemaModel, o: Outcome): unknown[] =>
  o.replies.map((r: Reply) => normalise(r, model.knownUuids));

export const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/**
 * Which reply stream a WebSocket frame belongs to: its uid, and whether it answers an `items` message
 * or belongs to a subscription (`subscribe` errors, `subscription` frames). Frames without a uid
 * share a stream per kind.
 */
const streamOf = (frame: any): string => {
  const type = String(frame?.type ?? '');
  const kind = type === 'subscribe' || type === 'subscription' || type === 'unsubscribe' ? 'subscription' : type;
  return `${frame?.uid === undefined ? '' : String(frame.uid)}/${kind}`;
};

/**
 * Replies in the form they are compared: each connection's frames grouped by stream, each stream's
 * frames in the order they came. Frames of different streams on one connection may interleave in any
 * order. Directus sends a write's reply and the events it fires from two concurrent async chains (the
 * event dispatch starts when the write emits its action; the reply waits for its own read-back): which
 * comes first depends on how many queries each read needs, so no one order is Directus's.
 */
export const comparable = (replies: readonly unknown[], options: { readonly eventsUnordered?: boolean } = {}): unknown[] => replies.map((r: any) => {
  if (r?.kind !== 'ws' || !Array.isArray(r.frames)) return newRowsUnordered(r);
  const streams: Record<string, unknown[]> = {};
  for (const f of r.frames) (streams[streamOf(f)] ??= []).push(newRowsUnordered(f));
  if (options.eventsUnordered) for (const frames of Object.values(streams)) eventRunsUnordered(frames);
  return { ...r, frames: streams };
});

const isEvent = (frame: any): boolean =>
  frame?.type === 'subscription' && (frame.event === 'create' || frame.event === 'update' || frame.event === 'delete');

/**
 * Directus on Postgres (`eventsUnordered`): each subscription event reads its payload on its own
 * pooled connection, so the events that come back to back on one subscription (a nested create's two
 * rows) arrive in whichever order their reads finish — replaying one such case gave each order 2 of 4
 * times. A run of consecutive events is compared in a canonical order; on SQLite's one connection
 * they come in the order they were emitted, which is compared as it is.
 */
const eventRunsUnordered = (frames: unknown[]): void => {
  for (let start = 0; start < frames.length;) {
    let end = start;
    while (end < frames.length && isEvent(frames[end])) end++;
    if (end - start > 1) frames.splice(start, end - start, ...frames.slice(start, end).sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1)));
    start = Math.max(end, start + 1);
  }
};

const isNewRow = (v: unknown): boolean =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).includes('<UUID>');

/**
 * Rows holding a uuid that each server minted itself (`<UUID>` after normalising) keep their places
 * among the other rows but are compared in a canonical order among themselves: both servers order
 * them by random keys (a batch create reads its rows back by primary key), so their order is chance.
 */
const newRowsUnordered = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    const items = value.map(newRowsUnordered);
    const places = items.flatMap((v, i) => (isNewRow(v) ? [i] : []));
    if (places.length < 2) return items;
    const rows = places.map((i) => items[i]).sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1));
    places.forEach((at, k) => { items[at] = rows[k]; });
    return items;
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, newRowsUnordered(v)]));
  return value;
};
