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
