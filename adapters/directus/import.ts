// `standin import`: loads what `standin export` wrote into a running Directus over its REST API, in
// the manifest's order: the schema (diff, then apply), the system records, the items (first pass
// without the deferred fields, then a `PATCH` that sets them).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonObject } from '../../core/index.ts';
import { directusClient, DirectusRequestError, type Fetch } from './client.ts';
import type { Manifest } from './export.ts';

export interface ImportOptions {
  readonly dir: string;
  readonly url: string;
  /** An admin's token. */
  readonly token: string;
  /** Records sent per request. */
  readonly batchSize?: number;
  /** Let the schema diff drop collections, fields and relations the export does not have. */
  readonly replace?: boolean;
  readonly fetch?: Fetch;
  readonly progress?: (line: string) => void;
}

export interface ImportReport {
  readonly created: number;
  /** Requests Directus refused, with its words; the rest went on. */
  readonly failures: readonly string[];
}

/** `POST /schema/diff`'s answer: per collection, field and relation, deep-diff entries (`kind` N, E, D, A). */
interface SchemaDiff {
  readonly diff: Readonly<Record<string, readonly { collection: string; field?: string; diff: readonly { kind: string; path?: unknown }[] }[]>>;
}

/** The whole collections, fields and relations a diff deletes (a `D` entry at the record's root). */
const drops = (diff: SchemaDiff): string[] =>
  Object.entries(diff.diff).flatMap(([kind, entries]) => entries
    .filter((e) => e.diff.some((d) => d.kind === 'D' && d.path === undefined))
    .map((e) => `${kind.replace(/s$/, '')} ${e.collection}${e.field ? `.${e.field}` : ''}`));

/** The import would do something it was not told it may. */
export class ImportRefused extends Error {}

const readJson = async (dir: string, file: string): Promise<unknown> => JSON.parse(await readFile(join(dir, file), 'utf8'));

const chunks = <T>(rows: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

export const importExport = async (options: ImportOptions): Promise<ImportReport> => {
  const client = directusClient(options.url, options.token, options.fetch);
  const say = options.progress ?? (() => {});
  const size = options.batchSize ?? 500;
  const manifest = (await readJson(options.dir, 'manifest.json')) as Manifest;
  const failures: string[] = [];
  /** Runs one request; a refusal is noted and loading goes on. */
  const attempt = async (method: string, path: string, body: unknown): Promise<boolean> => {
    try {
      await client.request(method, path, body);
      return true;
    } catch (error) {
      if (!(error instanceof DirectusRequestError) || error.status === 0) throw error;
      failures.push(error.message);
      return false;
    }
  };

  const snapshot = await readJson(options.dir, manifest.schema);
  const diff = (await client.request('POST', '/schema/diff?force=true', snapshot)) as SchemaDiff | undefined;
  // No diff (204): the schema is already there.
  if (diff !== undefined) {
    const dropped = drops(diff);
    if (dropped.length > 0 && !options.replace) {
      throw new ImportRefused(`applying the export would drop ${dropped.join(', ')} from ${options.url}; pass --replace to drop them`);
    }
    await client.request('POST', '/schema/apply', diff);
  }
  say('schema applied');

  let created = 0;
  for (const step of manifest.steps) {
    const content = await readJson(options.dir, step.file);
    if (step.method === 'PATCH') {
      if (await attempt('PATCH', step.path, content)) created++;
      say(`${step.path}: singleton`);
      continue;
    }
    const rows = content as JsonObject[];
    const firstPass = rows.map((row) => {
      const copy = { ...row };
      for (const field of step.deferred) delete copy[field];
      return copy;
    });
    for (const batch of chunks(firstPass, size)) {
      if (await attempt('POST', step.path, batch)) created += batch.length;
    }
    const later = rows
      .filter((row) => step.deferred.some((f) => row[f] !== null && row[f] !== undefined))
      .map((row) => Object.fromEntries([[step.primary, row[step.primary]!], ...step.deferred.map((f) => [f, row[f] ?? null])]));
    for (const batch of chunks(later, size)) await attempt('PATCH', step.path, batch);
    say(`${step.path}: ${rows.length}`);
  }
  return { created, failures };
};
