// What a server says about its data when it starts: the collections and their sizes, whether the data
// is open, the admin tokens it holds, and the parts of a data file that are not served.
import * as HashMap from 'effect/HashMap';
import { accountabilityFor, isOpen } from './access/permissions.ts';
import { isJsonObject } from './json.ts';
import { isSystemCollection } from './schema.ts';
import type { State } from './types.ts';

export interface CollectionSummary {
  readonly name: string;
  readonly primary: string;
  readonly singleton: boolean;
  readonly rows: number;
}

export interface DataSummary {
  readonly collections: readonly CollectionSummary[];
  /** No `directus_*` records: the public role may do everything (see `isOpen`). */
  readonly open: boolean;
  /** Static tokens of active users whose policies grant admin access. */
  readonly adminTokens: readonly string[];
  /** Users whose password is an argon2 hash (each check costs real CPU time: see password.ts). */
  readonly hashedPasswords: number;
}

export const summarize = (state: State): DataSummary => {
  const collections = Object.entries(state.schema.collections).map(([name, info]) => {
    const store = state.data.collections[name];
    return { name, primary: info.primary, singleton: info.singleton, rows: store ? HashMap.size(store.items) : 0 };
  });
  const adminTokens = (state.data.system['directus_users'] ?? [])
    .filter((user) => typeof user['token'] === 'string' && user['token'] !== '' && (user['status'] ?? 'active') === 'active')
    .filter((user) => accountabilityFor(state.data, user).admin)
    .map((user) => user['token'] as string);
  const hashedPasswords = (state.data.system['directus_users'] ?? [])
    .filter((user) => typeof user['password'] === 'string' && user['password'].startsWith('$argon2')).length;
  return { collections, open: isOpen(state.data), adminTokens, hashedPasswords };
};

/** A part of a data file that is not served, and why. */
export interface Unserved {
  readonly key: string;
  readonly reason: string;
}

/**
 * Top-level values that are neither an array of items nor an object (`{"posts": 5}`), and arrays with
 * entries that are not objects: they are not served, and a save of the file does not keep them.
 */
export const unservedParts = (raw: unknown): readonly Unserved[] => {
  if (!isJsonObject(raw)) return [];
  const found: Unserved[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('$') || isSystemCollection(key)) continue;
    if (Array.isArray(value)) {
      const others = value.filter((entry) => !isJsonObject(entry)).length;
      if (others > 0) found.push({ key, reason: `${others} of its ${value.length} entries are not objects` });
    } else if (!isJsonObject(value)) {
      found.push({ key, reason: `its value ${JSON.stringify(value)} is neither an array of items nor an object` });
    }
  }
  return found;
};
