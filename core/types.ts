// The public vocabulary of the core. Everything a transport needs to drive `handle` is here.
import type { HashMap } from 'effect/HashMap';
import type { DialectName } from './dialect.ts';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One stored row. Items are never mutated: a write makes a new object. */
export type Item = Readonly<Record<string, JsonValue>>;
/** A primary key as stored: a number for integer keys, a string otherwise. */
export type PrimaryKey = string | number;

// ------------------------------------------------------------------ schema

/** Directus field types (`fields[].type` in a schema snapshot). */
export type FieldType =
  | 'string' | 'text' | 'integer' | 'bigInteger' | 'float' | 'decimal' | 'boolean' | 'json' | 'csv'
  | 'uuid' | 'hash' | 'timestamp' | 'dateTime' | 'date' | 'time' | 'alias' | 'geometry' | 'binary'
  | 'unknown';

export interface Field {
  readonly field: string;
  readonly type: FieldType;
  /** `meta.special` flags, e.g. `m2o`, `o2m`, `cast-json`, `conceal`, `uuid`. */
  readonly special: readonly string[];
  readonly nullable: boolean;
  readonly defaultValue: JsonValue;
  readonly primaryKey: boolean;
  readonly autoIncrement: boolean;
  readonly unique: boolean;
  /** Alias fields (o2m, m2m, m2a) are derived, never stored. */
  readonly alias: boolean;
  readonly searchable: boolean;
  /** The snapshot's `schema.max_length` where it differs from the type's default (see defaultMaxLength). */
  readonly maxLength?: number;
}

export interface Collection {
  readonly collection: string;
  readonly primary: string;
  readonly singleton: boolean;
  readonly sortField: string | null;
  /** Fields in schema order; `*` expands to these. */
  readonly fields: Readonly<Record<string, Field>>;
  readonly fieldOrder: readonly string[];
}

/** A Directus relation: `many_collection.many_field` points at `one_collection`'s primary key. */
export interface Relation {
  readonly manyCollection: string;
  readonly manyField: string;
  /** null for a many-to-any (m2a) relation. */
  readonly oneCollection: string | null;
  /** The o2m alias on the one side, if any. */
  readonly oneField: string | null;
  readonly junctionField: string | null;
  readonly oneAllowedCollections: readonly string[] | null;
  readonly oneCollectionField: string | null;
  readonly sortField: string | null;
  readonly onDelete: 'SET NULL' | 'CASCADE' | 'NO ACTION' | 'RESTRICT' | 'SET DEFAULT';
  readonly oneDeselectAction: 'nullify' | 'delete';
}

export interface Schema {
  readonly collections: Readonly<Record<string, Collection>>;
  readonly relations: readonly Relation[];
  /** The data file's `$schema` value (declared relations), written back unchanged when saving. */
  readonly declared?: JsonValue;
  /** The snapshot the schema was read from (its `data` member), kept to answer `GET /schema/snapshot`. */
  readonly snapshot?: JsonObject;
}

// ------------------------------------------------------------------ data

/** One collection's rows, keyed by primary key (a persistent map: writes are O(log n)). */
export interface CollectionStore {
  readonly items: HashMap<PrimaryKey, Item>;
  /** The last auto-increment value handed out (SQLite AUTOINCREMENT never reuses a key). */
  readonly lastId: number;
  /** The keys written since the store was built, newest first (bounded); lets storage save only changes. */
  readonly log: ChangeLog | null;
}

/** A persistent list of written keys. `cut` marks where older history was dropped. */
export interface ChangeLog {
  readonly key: PrimaryKey;
  readonly prev: ChangeLog | null;
  readonly depth: number;
  readonly cut: boolean;
}

/** Everything that is persisted: user collections and the `directus_*` records. */
export interface Data {
  readonly collections: Readonly<Record<string, CollectionStore>>;
  /** `directus_users`, `directus_roles`, … as plain records (small; not served through `items`). */
  readonly system: Readonly<Record<string, readonly Item[]>>;
}

// ------------------------------------------------------------------ access

/** Who is asking. `user: null` is the public role. */
export interface Accountability {
  readonly user: string | null;
  readonly role: string | null;
  readonly roles: readonly string[];
  readonly policies: readonly string[];
  readonly admin: boolean;
  readonly app: boolean;
}

export type AuthMode = 'public' | 'handshake' | 'strict';

// ------------------------------------------------------------------ connections

export type ConnectionId = string;

export interface Subscription {
  readonly uid: string | undefined;
  readonly collection: string;
  readonly event: 'create' | 'update' | 'delete' | undefined;
  readonly item: string | undefined;
  /** The query as sent; it is re-read against the live state on every event. */
  readonly query: JsonObject;
  /** Clock at subscribe time: dynamic variables such as `$NOW` are frozen there, as in Directus. */
  readonly since: number;
  /** Opt-in (beyond Directus): also report items that leave the filter on update. */
  readonly leave: boolean;
}

export interface Connection {
  readonly id: ConnectionId;
  /** `pending`: handshake mode, waiting for the first auth message. */
  readonly phase: 'pending' | 'open';
  readonly accountability: Accountability;
  /** When the access token in use expires (ms since epoch), null for static tokens/public. */
  readonly expiresAt: number | null;
  /** True after TOKEN_EXPIRED was sent, until a new auth or the re-auth timeout. */
  readonly awaitingReauth: boolean;
  /** Any message since the last server ping (heartbeat liveness). */
  readonly alive: boolean;
  readonly subscriptions: readonly Subscription[];
}

export interface Session {
  readonly refreshToken: string;
  readonly user: string;
  readonly expiresAt: number;
}

export interface Config {
  readonly authMode: AuthMode;
  /** ms to wait for the handshake auth message (and for re-auth after TOKEN_EXPIRED). */
  readonly authTimeout: number;
  /** ms between server pings; 0 disables the heartbeat. */
  readonly heartbeatPeriod: number;
  /** QUERY_LIMIT_DEFAULT: a read's `limit` when it sets none. */
  readonly queryLimitDefault: number;
  /** QUERY_LIMIT_MAX: the largest `limit` a query may ask for (Infinity: no maximum, as Directus's default). */
  readonly queryLimitMax: number;
  /** MAX_RELATIONAL_DEPTH: how deep `fields`, `filter`, `sort` and `deep` may follow relations (Directus: 10). */
  readonly maxRelationalDepth: number;
  /** MAX_BATCH_MUTATION: items one request may create, update or delete, nested ones included (Infinity: no limit). */
  readonly maxBatchMutation: number;
  /**
   * MAX_QUERY_COST, standin's own: the values one read may look at and return (rows × filter
   * conditions, rows × fields at every level); a read beyond it is refused with INVALID_QUERY.
   */
  readonly maxQueryCost: number;
  /**
   * Largest REST request body in bytes (Directus's `MAX_PAYLOAD_SIZE`, default 1 MB = 1,048,576):
   * a larger JSON body is refused with 400 INVALID_PAYLOAD "Invalid payload. request entity too large.".
   * WebSocket frames have their own limit, set on the transport.
   */
  readonly maxPayloadSize: number;
  /** ms an access token issued by standin lives. */
  readonly accessTokenTtl: number;
  /** ms a refresh token lives. */
  readonly refreshTokenTtl: number;
  /** Signs and verifies access tokens (JWT, HS256), as Directus's `SECRET`. */
  readonly secret: string;
  /** The database whose behaviour standin copies where it shows in replies (Directus's `DB_CLIENT`). */
  readonly dialect: DialectName;
}

export interface State {
  readonly config: Config;
  readonly schema: Schema;
  readonly data: Data;
  readonly connections: Readonly<Record<ConnectionId, Connection>>;
  readonly sessions: Readonly<Record<string, Session>>;
  /** Deterministic source for new UUIDs and tokens; the adapter seeds it from real entropy. */
  readonly seed: number;
  /** Whether a heartbeat timer is outstanding. */
  readonly heartbeatScheduled: boolean;
}

// ------------------------------------------------------------------ handle's contract

/** What a transport saw. `now` is the clock reading (ms since epoch) the core may use. */
export type Input =
  /** `query`: the upgrade URL's query string; `cookie`: its Cookie header (Directus's session cookie authenticates). */
  | { readonly type: 'open'; readonly conn: ConnectionId; readonly query?: string; readonly cookie?: string; readonly now: number }
  | { readonly type: 'message'; readonly conn: ConnectionId; readonly text: string; readonly now: number }
  | { readonly type: 'close'; readonly conn: ConnectionId; readonly now: number }
  /** A timer the core asked for (see `Output` `timer`) has fired. */
  | { readonly type: 'timer'; readonly key: string; readonly now: number }
  /** An HTTP request (REST API), answered by one `respond` output with the same `id`. */
  | {
    readonly type: 'request'; readonly id: string; readonly method: string;
    /** The URL path as sent (not percent-decoded), without the query string. */
    readonly path: string;
    /** The raw query string, without `?`. */
    readonly query: string;
    /** Header names in lower case. */
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
    /**
     * The body was larger than `config.maxPayloadSize` and the transport stopped reading it (by its
     * Content-Length, or part way through a chunked body); `body` is then absent.
     */
    readonly bodyTooLarge?: boolean;
    readonly now: number;
  }
  /**
   * Another program edited the data file (`--watch`): `edited` is its parsed content, `bases` the
   * data standin last wrote to the file or loaded from it, newest first. The difference is merged as
   * writes (see outside-edit.ts); subscribers get its events.
   */
  | { readonly type: 'outside-edit'; readonly edited: unknown; readonly bases: readonly Data[]; readonly now: number };

/** What the transport must do, in order. */
export type Output =
  /** Send a text frame to one connection. */
  | { readonly type: 'send'; readonly conn: ConnectionId; readonly text: string }
  /** Close the connection (Directus closes without a status code). */
  | { readonly type: 'close'; readonly conn: ConnectionId }
  /** Refuse a connection at the upgrade with this HTTP status. */
  | { readonly type: 'refuse'; readonly conn: ConnectionId; readonly status: number }
  /** Call back with `{type:'timer', key}` after `delay` ms (replacing any pending timer of that key). */
  | { readonly type: 'timer'; readonly key: string; readonly delay: number }
  /** Cancel a pending timer. */
  | { readonly type: 'cancel-timer'; readonly key: string }
  /** Answer the HTTP request `id`. A header with several values (`set-cookie`) is an array. */
  | {
    readonly type: 'respond'; readonly id: string; readonly status: number;
    readonly headers: Readonly<Record<string, string | readonly string[]>>; readonly body: string;
  }
  /** A line for the operator's log (e.g. which change won when an outside edit met a write). */
  | { readonly type: 'log'; readonly text: string };

export type Result = readonly [State, readonly Output[]];
