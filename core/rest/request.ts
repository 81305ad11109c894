// One HTTP request through Directus's middleware order: body parser, token extraction, the routes that
// run before authentication (`/`, `/server/ping`), authentication, query validation, then the route.
// The reply is one `respond` output; writes also produce the WebSocket subscription events.
import { accountabilityForToken } from '../access/auth.ts';
import { publicAccountability } from '../access/permissions.ts';
import { DirectusError, isFailure } from '../errors.ts';
import { queryContext } from '../access/context.ts';
import { limitsOf } from '../query/shared/limits.ts';
import { checkQuery } from '../query/validate-query.ts';
import { dispatch } from '../realtime/dispatch.ts';
import type { Input, Output, Result, State } from '../types.ts';
import { parseCookies, SESSION_COOKIE } from '../access/cookies.ts';
import { clearCookie, extractToken, SESSION_TTL } from './auth.ts';
import { parseBody } from './body.ts';
import { answer, type RestContext, type RestOutcome } from './context.ts';
import { parseQueryString } from './query-string.ts';
import { asError, failure, html, internalError, redirect } from './respond.ts';
import { route } from './routes.ts';

export type RequestInput = Extract<Input, { type: 'request' }>;

const serve = (state: State, input: RequestInput): RestOutcome => {
  const method = input.method.toUpperCase() === 'HEAD' ? 'GET' : input.method.toUpperCase();
  const headers = input.headers;
  const base = {
    state, method, path: input.path, query: parseQueryString(input.query), cookies: parseCookies(headers['cookie']),
    body: {}, accountability: publicAccountability(state.data), now: input.now,
  } satisfies RestContext;

  const body = parseBody(headers['content-type'], input.body, state.config.maxPayloadSize, input.bodyTooLarge === true);
  if (body instanceof DirectusError) return answer(base, failure(body));
  const token = extractToken(base.query, headers['authorization'], base.cookies);
  if (token instanceof DirectusError) return answer(base, failure(token));
  if (method === 'GET' && input.path === '/') return answer(base, redirect('./admin'));
  if (method === 'GET' && /^\/server\/ping\/?$/i.test(input.path)) return answer(base, html('pong'));

  const auth = token === null ? undefined : accountabilityForToken(state, token.value, input.now);
  if (auth instanceof DirectusError) {
    // A session cookie that no longer works is cleared (Express 4 writes the cookie's max age again).
    const stale = token!.fromSession && (auth.code === 'INVALID_CREDENTIALS' || auth.code === 'INVALID_TOKEN');
    return answer(base, failure(auth, stale ? [clearCookie(SESSION_COOKIE, SESSION_TTL, input.now)] : []));
  }
  const ctx: RestContext = { ...base, body: method === 'GET' ? {} : body, accountability: auth?.accountability ?? base.accountability };
  // The sanitize-query middleware: only a non-empty query is checked, `fields` defaulting to `*`.
  if (Object.keys(ctx.query).length > 0) {
    const query = checkQuery({ fields: ctx.query['fields'] || '*', ...ctx.query }, queryContext(state.schema, state.data, ctx.accountability, input.now, 'read', limitsOf(state.config)));
    if (isFailure(query)) return answer(base, failure(asError(query, ctx.accountability.admin)));
  }
  return route(ctx);
};

/** An exception in a route is Directus's 500; the state is left as it was. */
const guarded = (state: State, input: RequestInput): RestOutcome => {
  try {
    return serve(state, input);
  } catch (error) {
    return { state, reply: failure(internalError(String(error), false)), events: [] };
  }
};

/** The `request` input: the reply first, then the events a write produced, in event order. */
export const request = (state: State, input: RequestInput): Result => {
  const outcome = guarded(state, input);
  const reply: Output = { type: 'respond', id: input.id, ...outcome.reply };
  return [outcome.state, [reply, ...dispatch(outcome.state, state.data, outcome.events, input.now)]];
};
