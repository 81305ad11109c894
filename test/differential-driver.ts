// A Driver on the differential tester's fixtures (tools/differential): the same data, users and
// permissions the live Directus answered for, so Directus's exact frames can be expected here.
import { readFileSync } from 'node:fs';
import { createState, type Output, type State } from '../core/index.ts';
import { Driver, NOW } from './driver.ts';

const fixture = (schema: string, file: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/differential/${schema}/${file}`, import.meta.url), 'utf8'));

const tokens: Record<string, string> = { catalog: 'editor-token', registry: 'clerk-token', content: 'writer-token' };

/** A driver on a differential fixture: A admin, R the restricted role, P public. */
export const driver = (schema: 'catalog' | 'registry' | 'content', dialect: 'sqlite' | 'postgres' = 'sqlite'): Driver => {
  const state = createState({ data: fixture(schema, 'db.json'), schema: fixture(schema, 'schema.json'), seed: 7, config: { authMode: 'public', heartbeatPeriod: 0, dialect } });
  if (!('connections' in state)) throw new Error(state.message);
  const d = new Driver(state as State);
  d.open('A', '?access_token=admin-token');
  d.open('R', `?access_token=${tokens[schema]}`);
  d.open('P');
  return d;
};

type Respond = Extract<Output, { type: 'respond' }>;
export const rest = (d: Driver, method: string, url: string, token?: string, body?: unknown) => {
  const [path, query = ''] = url.split('?') as [string, string?];
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const outputs = d.input({ type: 'request', id: 'r', method, path, query, headers, body: body === undefined ? undefined : JSON.stringify(body), now: NOW });
  const reply = outputs.find((o): o is Respond => o.type === 'respond')!;
  return { status: reply.status, body: reply.body ? JSON.parse(reply.body) : null };
};
