// One error type carrying Directus's code, and the one place that renders it to a reply frame.
import type { JsonValue } from './types.ts';

export type ErrorCode =
  | 'INVALID_PAYLOAD' | 'INVALID_COLLECTION' | 'INVALID_QUERY' | 'FORBIDDEN' | 'RECORD_NOT_UNIQUE'
  | 'INVALID_FOREIGN_KEY' | 'NOT_NULL_VIOLATION' | 'AUTH_FAILED' | 'TOKEN_EXPIRED' | 'AUTH_TIMEOUT'
  | 'INVALID_CREDENTIALS' | 'ROUTE_NOT_FOUND' | 'INTERNAL_SERVER_ERROR' | 'FAILED_VALIDATION';

/** A failure Directus would report with this code and message. */
export class DirectusError {
  readonly _tag = 'DirectusError';
  readonly code: ErrorCode;
  readonly message: string;
  /** HTTP status Directus uses for this code (for HTTP transports). */
  readonly status: number;
  constructor(code: ErrorCode, message: string) {
    this.code = code;
    this.message = message;
    this.status = STATUS[code];
  }
}

/**
 * Directus answers some failures with no reply at all (FAILED_VALIDATION is thrown as an array,
 * non-Directus exceptions are only logged). The core models that explicitly.
 */
export class Silent {
  readonly _tag = 'Silent';
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

export type Failure = DirectusError | Silent;

const STATUS: Record<ErrorCode, number> = {
  INVALID_PAYLOAD: 400, INVALID_COLLECTION: 403, INVALID_QUERY: 400, FORBIDDEN: 403,
  RECORD_NOT_UNIQUE: 400, INVALID_FOREIGN_KEY: 400, NOT_NULL_VIOLATION: 400, AUTH_FAILED: 401,
  TOKEN_EXPIRED: 401, AUTH_TIMEOUT: 401, INVALID_CREDENTIALS: 401, ROUTE_NOT_FOUND: 404,
  INTERNAL_SERVER_ERROR: 500, FAILED_VALIDATION: 400,
};

// ------------------------------------------------------------------ the messages Directus uses

export const forbidden = () => new DirectusError('FORBIDDEN', "You don't have permission to access this.");

export const forbiddenCollection = (collection: string) =>
  new DirectusError(
    'FORBIDDEN',
    `You don't have permission to access collection "${collection}" or it does not exist. Queried in root.`,
  );

export const forbiddenField = (field: string, collection: string) =>
  new DirectusError(
    'FORBIDDEN',
    `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in root.`,
  );

/** `Invalid query. <reason>.` as Directus's InvalidQueryError formats it. */
export const invalidQuery = (reason: string) => new DirectusError('INVALID_QUERY', `Invalid query. ${reason}.`);

export const invalidPayload = (reason: string) => new DirectusError('INVALID_PAYLOAD', `Invalid payload. ${reason}.`);

export const notUnique = (value: JsonValue, field: string, collection: string) =>
  new DirectusError(
    'RECORD_NOT_UNIQUE',
    `Value "${String(value)}" for field "${field}" in collection "${collection}" has to be unique.`,
  );

export const invalidForeignKey = () => new DirectusError('INVALID_FOREIGN_KEY', 'Invalid foreign key.');

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
