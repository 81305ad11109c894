// The public surface of the core. Adapters import from here and nowhere else in core/.
export { handle } from './handle.ts';
export { createState, dataToJson, dataFromJson, defaultConfig, type StateOptions } from './state.ts';
export { inferSchema, schemaFromSnapshot } from './schema.ts';
export { snapshotJson, snapshotOf, type SchemaSnapshot } from './schema-snapshot.ts';
export { dataChanges, primaryKeyFields, type DataChange } from './persistence.ts';
export { DirectusError, errorBody, Silent, type ErrorCode, type Failure } from './errors.ts';
export { isOpen } from './access/permissions.ts';
export { summarize, unservedParts, type CollectionSummary, type DataSummary, type Unserved } from './summary.ts';
export { DIALECTS, dialectNamed, POSTGRES, SQLITE, type Dialect, type DialectName } from './dialect.ts';
export { signAccessToken, verifyJwt, type AccessClaims } from './access/jwt.ts';
export type {
  Accountability, AuthMode, Collection, CollectionStore, Config, Connection, ConnectionId, Data, Field, FieldType,
  Input, Item, JsonObject, JsonPrimitive, JsonValue, Output, PrimaryKey, Relation, Result, Schema,
  Session, State, Subscription,
} from './types.ts';
