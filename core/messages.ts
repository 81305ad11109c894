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

/** JSON.parse that never yields a `__proto__` key (as Directus's parseJSON); undefined on bad JSON. */
export const parseJson = (text: string): { value: JsonValue } | undefined => {
  try {
    const value = text.includes('__proto__') ? JSON.parse(text, stripProto) : JSON.parse(text);
    return { value };
  } catch {
    return undefined;
  }
};
