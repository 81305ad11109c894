// One error type carrying Directus's code, and the one place that renders it: a WebSocket reply frame
// or an HTTP error body.
import type { JsonValue } from './types.ts';

export type ErrorCode =
  | 'INVALID_PAYLOAD' | 'INVALID_COLLECTION' | 'INVALID_QUERY' | 'FORBIDDEN' | 'RECORD_NOT_UNIQUE'
  | 'INVALID_FOREIGN_KEY' | 'NOT_NULL_VIOLATION' | 'AUTH_FAILED' | 'TOKEN_EXPIRED' | 'AUTH_TIMEOUT'
  | 'INVALID_CREDENTIALS' | 'ROUTE_NOT_FOUND' | 'INTERNAL_SERVER_ERROR' | 'FAILED_VALIDATION' | 'INVALID_TOKEN'
  | 'SERVICE_UNAVAILABLE' | 'VALUE_OUT_OF_RANGE' | 'VALUE_TOO_LONG';

/** A failure Directus would report with this code and message. */
export class DirectusError {
  readonly _tag = 'DirectusError';
  readonly code: ErrorCode;
  readonly message: string;
  /** HTTP status Directus uses for this code (for HTTP transports). */
  readonly status: number;
  /** Extra `extensions` members Directus sends over HTTP (e.g. `collection`, `field`, `value`). */
  readonly extensions: Readonly<Record<string, JsonValue>> | undefined;
  constructor(code: ErrorCode, message: string, extensions?: Readonly<Record<string, JsonValue>>) {
    this.code = code;
    this.message = message;
    this.status = STATUS[code];
    this.extensions = extensions;
  }
}

/**
 * Directus answers some failures with no reply at all (FAILED_VALIDATION is thrown as an array,
 * non-Directus exceptions are only logged). The core models that explicitly.
 */
export class Silent {
  readonly _tag = 'Silent';
  readonly reason: string;
  /** What Directus answers over HTTP instead (its error handler reports what WebSocket swallows). */
  readonly error: DirectusError | undefined;
  constructor(reason: string, error?: DirectusError) {
    this.reason = reason;
    this.error = error;
  }
}

/**
 * A failure the database itself reports (Postgres refusing a value or an ORDER BY): Directus's 500
 * puts the statement it sent before the database's words (see select-statement.ts).
 */
export class DatabaseFailure extends Silent {
  readonly fromDatabase = true;
}

export type Failure = DirectusError | Silent;

/** `count(json)` through a join on Postgres (the dialect's `joinedJsonCountFails`): Directus's helper throws. */
export const JOINED_JSON_COUNT = new Silent("Cannot read properties of undefined (reading 'fields')");

const STATUS: Record<ErrorCode, number> = {
  INVALID_PAYLOAD: 400, INVALID_COLLECTION: 403, INVALID_QUERY: 400, FORBIDDEN: 403,
  RECORD_NOT_UNIQUE: 400, INVALID_FOREIGN_KEY: 400, NOT_NULL_VIOLATION: 400, AUTH_FAILED: 401,
  TOKEN_EXPIRED: 401, AUTH_TIMEOUT: 401, INVALID_CREDENTIALS: 401, ROUTE_NOT_FOUND: 404,
  INTERNAL_SERVER_ERROR: 500, FAILED_VALIDATION: 400, INVALID_TOKEN: 403, SERVICE_UNAVAILABLE: 503,
  VALUE_OUT_OF_RANGE: 400, VALUE_TOO_LONG: 400,
};

// ------------------------------------------------------------------ the messages Directus uses

const FORBIDDEN_MESSAGE = "You don't have permission to access this.";

export const forbidden = () => new DirectusError('FORBIDDEN', FORBIDDEN_MESSAGE);

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** Where a path was being resolved: `root`, or the relational path so far (`"author"`). */
const queriedIn = (path: string) => (path === '' ? 'root' : `"${path}"`);

export const forbiddenCollection = (collection: string, path = '') =>
  new DirectusError(
    'FORBIDDEN',
    `You don't have permission to access collection "${collection}" or it does not exist. Queried in ${queriedIn(path)}.`,
  );

export const forbiddenField = (field: string, collection: string) =>
  new DirectusError(
    'FORBIDDEN',
    `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in root.`,
  );

/** Unknown or unreadable fields of one level: Directus names them all (one in the singular). */
export const forbiddenFields = (fields: readonly string[], collection: string, path = '') =>
  new DirectusError(
    'FORBIDDEN',
    fields.length === 1
      ? `You don't have permission to access field "${fields[0]}" in collection "${collection}" or it does not exist. Queried in ${queriedIn(path)}.`
      : `You don't have permission to access fields ${quoted(fields)} in collection "${collection}" or they do not exist. Queried in ${queriedIn(path)}.`,
  );

/**
 * validateAccess's refusal of an update or delete by keys (a key matched no row the caller may
 * write, or a field of the payload is not writable there): it names the payload's fields, if any.
 */
export const forbiddenAction = (action: string, collection: string, fields: readonly string[]) =>
  new DirectusError(
    'FORBIDDEN',
    fields.length > 0
      ? `You don't have permissions to perform "${action}" for the field(s) ${quoted(fields)} in collection "${collection}" or it does not exist.`
      : `You don't have permission to perform "${action}" for collection "${collection}" or it does not exist.`,
  );

/** `Invalid query. <reason>.` as Directus's InvalidQueryError formats it. */
export const invalidQuery = (reason: string) => new DirectusError('INVALID_QUERY', `Invalid query. ${reason}.`);

export const invalidPayload = (reason: string) => new DirectusError('INVALID_PAYLOAD', `Invalid payload. ${reason}.`);

export const notUnique = (value: JsonValue, field: string, collection: string) =>
  new DirectusError(
    'RECORD_NOT_UNIQUE',
    `Value "${String(value)}" for field "${field}" in collection "${collection}" has to be unique.`,
    { collection, field, value },
  );

/**
 * On SQLite Directus cannot tell which constraint failed: every member is null. On Postgres the
 * error names the column, and Directus adds the collection and the payload's value (shown when truthy).
 */
export const invalidForeignKey = (detail?: { collection: string; field: string; value: JsonValue }) => {
  if (!detail) return new DirectusError('INVALID_FOREIGN_KEY', 'Invalid foreign key.', { collection: null, field: null, value: null });
  const { collection, field, value } = detail;
  return new DirectusError('INVALID_FOREIGN_KEY', `Invalid foreign key${value ? ` "${String(value)}"` : ''} for field "${field}" in collection "${collection}".`, { collection, field, value });
};

/** A required value is missing or null (Directus throws these as an array: WebSocket answers nothing). */
export const failedValidation = (field: string, type: 'required' | 'nnull' = 'required', path: readonly string[] = []) =>
  new DirectusError(
    'FAILED_VALIDATION',
    `Validation failed for field "${field}"${path.length > 0 ? ` at "${path.join('.')}"` : ''}. ${type === 'required' ? 'Value is required' : "Value can't be null"}.`,
    { field, path: [...path], type },
  );

export const isFailure = (value: unknown): value is Failure =>
  value instanceof DirectusError || value instanceof Silent;

// ------------------------------------------------------------------ rendering

/** The WebSocket error frame: `{type, status:"error", error:{code, message}[, uid]}`. */
export const errorFrame = (type: string, error: DirectusError, uid?: string | number): string =>
  JSON.stringify(
    uid === undefined
      ? { type, status: 'error', error: { code: error.code, message: error.message } }
      : { type, status: 'error', error: { code: error.code, message: error.message }, uid },
  );

const REASON_PREFIX: Partial<Record<ErrorCode, string>> = { INVALID_PAYLOAD: 'Invalid payload. ', INVALID_QUERY: 'Invalid query. ' };

/** `extensions.reason` as Directus's error classes set it: the message's own words. */
const reasonOf = (error: DirectusError): { reason?: string } => {
  const prefix = REASON_PREFIX[error.code];
  if (prefix !== undefined && error.message.startsWith(prefix)) return { reason: error.message.slice(prefix.length).replace(/\.$/, '') };
  if (error.code === 'FORBIDDEN' && error.message !== FORBIDDEN_MESSAGE) return { reason: error.message };
  return {};
};

/** The HTTP error body: `{"errors":[{"message","extensions":{…,"code"}}]}`, `code` last as in Directus. */
export const errorBody = (error: DirectusError): string =>
  JSON.stringify({ errors: [{ message: error.message, extensions: { ...reasonOf(error), ...error.extensions, code: error.code } }] });
