// Directus's Joi schemas for request bodies, as plain checks: the first error only, worded as Joi words
// it, in Joi's order (known keys in schema order, then unknown keys, then peer rules such as xor).
import { invalidPayload, type DirectusError } from '../errors.ts';
import type { JsonValue } from '../types.ts';
import { isObject } from './context.ts';

/**
 * Joi's `alternatives(string(), number())` for one key: a value of neither type is "not one of" them;
 * a string or number that fails its own type's rules gets that rule's words.
 */
const keyError = (key: JsonValue): string | null => {
  if (typeof key === 'string') return key === '' ? 'is not allowed to be empty' : null;
  if (typeof key !== 'number') return 'must be one of [string, number]';
  if (!Number.isFinite(key)) return 'cannot be infinity';
  return key > Number.MAX_SAFE_INTEGER || key < Number.MIN_SAFE_INTEGER ? 'must be a safe number' : null;
};

/** `validateBatch`: `{keys?, query?}` (exactly one, except for reads), plus a required `data` object for updates. */
export const validateBatch = (scope: 'read' | 'update' | 'delete', body: JsonValue): DirectusError | undefined => {
  if (!isObject(body)) return invalidPayload('"value" must be of type object');
  const { keys, query, data } = body;
  if (keys !== undefined) {
    if (!Array.isArray(keys)) return invalidPayload('"keys" must be an array');
    for (const [i, key] of keys.entries()) {
      const error = keyError(key);
      if (error) return invalidPayload(`"keys[${i}]" ${error}`);
    }
  }
  if (query !== undefined && !isObject(query)) return invalidPayload('"query" must be of type object');
  if (scope === 'update' && data === undefined) return invalidPayload('"data" is required');
  if (scope === 'update' && !isObject(data)) return invalidPayload('"data" must be of type object');
  const allowed = scope === 'update' ? ['keys', 'query', 'data'] : ['keys', 'query'];
  const unknown = Object.keys(body).find((k) => !allowed.includes(k));
  if (unknown !== undefined) return invalidPayload(`"${unknown}" is not allowed`);
  if (scope === 'read') return undefined;
  if (keys !== undefined && query !== undefined) return invalidPayload('"value" contains a conflict between exclusive peers [query, keys]');
  if (keys === undefined && query === undefined) return invalidPayload('"value" must contain at least one of [query, keys]');
  return undefined;
};

const MODES = ['cookie', 'json', 'session'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;

/** Joi's `string()` rule: present when required, a string, not empty. */
const stringField = (name: string, value: JsonValue | undefined, required: boolean): DirectusError | undefined => {
  if (value === undefined) return required ? invalidPayload(`"${name}" is required`) : undefined;
  if (typeof value !== 'string') return invalidPayload(`"${name}" must be a string`);
  return value === '' ? invalidPayload(`"${name}" is not allowed to be empty`) : undefined;
};

/** Joi's loginSchema (`email`, `password`, `mode`, `otp`; other keys allowed), first error only. */
export const validateLogin = (body: JsonValue): DirectusError | undefined => {
  if (!isObject(body)) return invalidPayload('"value" must be of type object');
  const email = stringField('email', body['email'], true);
  if (email) return email;
  if (!EMAIL.test(body['email'] as string)) return invalidPayload('"email" must be a valid email');
  const password = stringField('password', body['password'], true);
  if (password) return password;
  if (body['mode'] !== undefined && !MODES.includes(body['mode'] as string)) return invalidPayload('"mode" must be one of [cookie, json, session]');
  return stringField('otp', body['otp'], false);
};

