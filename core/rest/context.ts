// What every REST route handler gets, and what it gives back.
import type { ChangeEvent } from '../items/tx.ts';
import type { Accountability, JsonValue, State } from '../types.ts';
import type { RawQuery } from './query-string.ts';
import type { HttpReply } from './respond.ts';

export interface RestContext {
  readonly state: State;
  /** Upper case; HEAD is routed as GET (as Express does). */
  readonly method: string;
  /** The path as sent, not percent-decoded (Directus quotes it in ROUTE_NOT_FOUND). */
  readonly path: string;
  /** The query string as qs parsed it: the raw query every route reads and sanitizes. */
  readonly query: RawQuery;
  readonly cookies: Readonly<Record<string, string>>;
  /** The parsed JSON body; `{}` when there is none or it is not `application/json`. */
  readonly body: JsonValue;
  readonly accountability: Accountability;
  readonly now: number;
}

export interface RestOutcome {
  readonly state: State;
  readonly reply: HttpReply;
  /** Changes made, for the WebSocket subscribers (dispatched exactly as after an `items` message). */
  readonly events: readonly ChangeEvent[];
}

export const answer = (ctx: RestContext, reply: HttpReply): RestOutcome => ({ state: ctx.state, reply, events: [] });

export { isJsonObject as isObject } from '../json.ts';
