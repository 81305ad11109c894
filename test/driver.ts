// A tiny in-memory driver for `handle`: open connections, send frames, collect what each received.
import { readFileSync } from 'node:fs';
import { createState, handle, type Config, type Input, type Output, type State } from '../core/index.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** The conformance fixture (articles, authors, tags_str, settings, admin + reader). */
export const fixtureState = (config: Partial<Config> = {}): State => {
  const state = createState({ data: fixture('db.json'), schema: fixture('schema.json'), seed: 42, config });
  if (!('connections' in state)) throw new Error(state.message);
  return state;
};

/**
 * The typed fixture: `typed` (one field of every Directus type), `ranked` (a sort field), `tokens`
 * (uuid keys), `codes` (string keys); made in a live Directus 12.4 over REST, schema from its
 * `GET /schema/snapshot`. Same users and tokens as the conformance fixture.
 */
export const typedState = (config: Partial<Config> = {}): State => {
  const state = createState({ data: fixture('typed-db.json'), schema: fixture('typed-schema.json'), seed: 42, config });
  if (!('connections' in state)) throw new Error(state.message);
  return state;
};

export const NOW = Date.parse('2026-11-27T12:00:00.000Z');

export class Driver {
  state: State;
  readonly outputs: Output[] = [];
  constructor(state: State) {
    this.state = state;
  }
  input(input: Input): Output[] {
    const [next, outputs] = handle(this.state, input);
    this.state = next;
    this.outputs.push(...outputs);
    return [...outputs];
  }
  open(conn: string, query = ''): Output[] {
    return this.input({ type: 'open', conn, query, now: NOW });
  }
  /** Opens a connection authenticated as admin (static token in the URL). */
  admin(conn = 'A'): this {
    this.open(conn, '?access_token=admin-static-token');
    return this;
  }
  reader(conn = 'R'): this {
    this.open(conn, '?access_token=reader-static-token');
    return this;
  }
  send(conn: string, message: unknown): Output[] {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    return this.input({ type: 'message', conn, text, now: NOW });
  }
  /** The parsed frames sent to `conn` in reply to this message. */
  frames(conn: string, message: unknown, to = conn): unknown[] {
    return this.send(conn, message)
      .filter((o): o is Extract<Output, { type: 'send' }> => o.type === 'send' && o.conn === to)
      .map((o) => JSON.parse(o.text));
  }
  /** The single frame `conn` got back (fails if it got none or several). */
  reply(conn: string, message: unknown): unknown {
    const frames = this.frames(conn, message);
    if (frames.length !== 1) throw new Error(`expected one frame, got ${JSON.stringify(frames)}`);
    return frames[0];
  }
}
