// Decoding inbound frames: JSON (with `__proto__` stripped), the envelope, and one effect Schema per
// message type. Decoding is validation: a message that decodes is well-formed for its handler.
import * as Result from 'effect/Result';
import * as Schema from 'effect/Schema';
import { DirectusError } from './errors.ts';
import { explain } from './validation-wording/explain.ts';
import { formatIssues } from './validation-wording/format.ts';
import type { JsonValue } from './types.ts';

// Each schema mirrors Directus's zod schema for the message: the same keys in the same order (the
// order its validation errors list them in), the same optional keys, numbers as zod's (finite).
const StringOrNumber = Schema.Union([Schema.String, Schema.Finite]);
const Uid = StringOrNumber;
const Key = StringOrNumber;
const optional = Schema.optionalKey;

/** Every message: `{ type: string, uid?: string | number, …anything }`. */
export const Envelope = Schema.StructWithRest(Schema.Struct({ type: Schema.String, uid: optional(Uid) }), [
  Schema.Record(Schema.String, Schema.Unknown),
]);
export type Envelope = typeof Envelope.Type;

const itemsHead = { uid: optional(Uid), type: Schema.Literal('items'), collection: Schema.String };
const byKeys = { ids: optional(Schema.Array(Key)), id: optional(Key) };
const query = optional(Schema.Unknown);

export const ItemsMessage = Schema.Union([
  Schema.Struct({ ...itemsHead, action: Schema.Literal('create'), data: optional(Schema.Unknown), query }),
  Schema.Struct({ ...itemsHead, action: Schema.Literal('read'), ...byKeys, query }),
  Schema.Struct({ ...itemsHead, action: Schema.Literal('update'), data: optional(Schema.Unknown), ...byKeys, query }),
  Schema.Struct({ ...itemsHead, action: Schema.Literal('delete'), ...byKeys, query }),
]);
export type ItemsMessage = typeof ItemsMessage.Type;

export const SubscribeMessage = Schema.Struct({
  type: Schema.Literal('subscribe'),
  uid: optional(Uid),
  collection: Schema.String,
  event: optional(Schema.Literals(['create', 'update', 'delete'])),
  item: optional(Key),
  query: optional(Schema.Record(Schema.String, Schema.Unknown)),
  /**
   * standin's opt-in (`true`): also send `update` events for items that leave the subscription's filter.
   * Any value passes, as every extra key does in Directus.
   */
  leave: optional(Schema.Unknown),
});
export type SubscribeMessage = typeof SubscribeMessage.Type;

export const UnsubscribeMessage = Schema.Struct({ type: Schema.Literal('unsubscribe'), uid: optional(Uid) });
export type UnsubscribeMessage = typeof UnsubscribeMessage.Type;

// The email check zod applies (`z.string().email()`), in its simple form.
const Email = Schema.String.check(Schema.isPattern(/^(?!\.)(?!.*\.\.)[\w'+\-.]*[\w+-]@[A-Za-z\d-]+(?:\.[A-Za-z\d-]+)*\.[A-Za-z]{2,}$/, { message: 'Invalid email address' }));

export const AuthMessage = Schema.Union([
  Schema.Struct({ type: Schema.Literal('auth'), uid: optional(Uid), email: Email, password: Schema.String }),
  Schema.Struct({ type: Schema.Literal('auth'), uid: optional(Uid), access_token: Schema.String }),
  Schema.Struct({ type: Schema.Literal('auth'), uid: optional(Uid), refresh_token: Schema.String }),
]);
export type AuthMessage = typeof AuthMessage.Type;

/** A decoder returning the value or undefined (the caller decides which error Directus answers). */
const decoder = <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S) => {
  const decode = Schema.decodeUnknownResult(schema as any);
  return (input: unknown): S['Type'] | undefined => {
    const result = decode(input);
    return Result.isSuccess(result) ? (result.success as S['Type']) : undefined;
  };
};

/**
 * Why `input` does not decode, in the words Directus's zod schemas give (`Validation error: …`): only
 * called on the failure path, so decoding itself stays cheap.
 */
export const validationError = (
  kind: 'envelope' | 'items' | 'subscribe' | 'unsubscribe',
  input: unknown,
): DirectusError => {
  const schema = { envelope: Envelope, items: ItemsMessage, subscribe: SubscribeMessage, unsubscribe: UnsubscribeMessage }[kind];
  return new DirectusError('INVALID_PAYLOAD', formatIssues(explain(schema.ast, input)));
};

export const decodeEnvelope = decoder(Envelope);
export const decodeItems = decoder(ItemsMessage);
export const decodeSubscribe = decoder(SubscribeMessage);
export const decodeUnsubscribe = decoder(UnsubscribeMessage);
export const decodeAuth = decoder(AuthMessage);

const stripProto = (key: string, value: unknown) => (key === '__proto__' ? undefined : value);

/** `value` as JSON holds it (undefined if it cannot); `onPath`: the objects above it, to refuse a cycle. */
const jsonCopy = (v: unknown, onPath: Set<object>): JsonValue | undefined => {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'object' || onPath.has(v)) return undefined;
  onPath.add(v);
  try {
    if (Array.isArray(v)) {
      const out: JsonValue[] = [];
      for (const item of v) {
        const w = jsonCopy(item, onPath);
        if (w === undefined) return undefined;
        out.push(w);
      }
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return undefined;
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(v)) {
      if (key === '__proto__') continue;
      const w = jsonCopy((v as Record<string, unknown>)[key], onPath);
      if (w === undefined) return undefined;
      out[key] = w;
    }
    return out;
  } finally {
    onPath.delete(v);
  }
};

/**
 * A value parsed elsewhere (`JSON.parse` in another thread), as `parseJson` would have given it: no
 * `__proto__` keys; undefined when it holds anything JSON cannot (or a cycle). Strings are not read,
 * only passed on: a megabyte string costs nothing here.
 */
export const jsonValueOf = (value: unknown): { value: JsonValue } | undefined => {
  const copied = jsonCopy(value, new Set());
  return copied === undefined ? undefined : { value: copied };
};

/** JSON.parse that never yields a `__proto__` key (as Directus's parseJSON); undefined on bad JSON. */
export const parseJson = (text: string): { value: JsonValue } | undefined => {
  try {
    const value = text.includes('__proto__') ? JSON.parse(text, stripProto) : JSON.parse(text);
    return { value };
  } catch {
    return undefined;
  }
};
