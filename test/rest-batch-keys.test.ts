// A REST batch body's `keys` checked as Directus's validateBatch does (Joi's
// `alternatives(string(), number())` per key, in order), before any permission and before a row is
// touched. Expected replies are what Directus 12.4 sent (tools/differential/probe.ts, catalog fixture).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driver, rest } from './differential-driver.ts';

const invalid = (reason: string) => ({ status: 400, body: { errors: [{ message: `Invalid payload. ${reason}.`, extensions: { reason, code: 'INVALID_PAYLOAD' } }] } });

describe('REST batch keys', () => {
  it('refuses an empty string or an unsafe number among the keys, and deletes nothing', () => {
    const d = driver('catalog');
    const before = rest(d, 'GET', '/items/tags?limit=-1', 'admin-token');
    assert.deepEqual(rest(d, 'DELETE', '/items/tags', 'admin-token', { keys: [1, ''] }), invalid('"keys[1]" is not allowed to be empty'));
    assert.deepEqual(rest(d, 'DELETE', '/items/tags', 'admin-token', { keys: [1e300] }), invalid('"keys[0]" must be a safe number'));
    assert.deepEqual(rest(d, 'DELETE', '/items/tags', 'admin-token', { keys: [9007199254740993] }), invalid('"keys[0]" must be a safe number'));
    assert.deepEqual(rest(d, 'DELETE', '/items/tags', 'admin-token', { keys: [-9007199254740993, ''] }), invalid('"keys[0]" must be a safe number'));
    assert.deepEqual(rest(d, 'DELETE', '/items/tags', 'admin-token', { keys: [null] }), invalid('"keys[0]" must be one of [string, number]'));
    assert.deepEqual(rest(d, 'GET', '/items/tags?limit=-1', 'admin-token'), before);
  });

  it('checks the keys of an update and a search the same way, and before the caller\'s permissions', () => {
    const d = driver('catalog');
    assert.deepEqual(rest(d, 'PATCH', '/items/tags', 'admin-token', { keys: ['', true], data: {} }), invalid('"keys[0]" is not allowed to be empty'));
    assert.deepEqual(rest(d, 'SEARCH', '/items/tags', 'admin-token', { keys: [''] }), invalid('"keys[0]" is not allowed to be empty'));
    assert.deepEqual(rest(d, 'DELETE', '/items/tags', undefined, { keys: [''] }), invalid('"keys[0]" is not allowed to be empty'));
    // A blank string and a fraction are keys Joi takes (then no row may be written: FORBIDDEN).
    assert.deepEqual(rest(d, 'DELETE', '/items/tags', 'admin-token', { keys: [' ', 1.5, 9007199254740991] }),
      { status: 403, body: { errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }] } });
  });
});
