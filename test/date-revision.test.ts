// Date fields given values no date comes from. Directus records a revision of every write and reads
// the written values back through processDates, whose Date calls throw on them: the write rolls back
// with a 500 in the exception's words, after the statement (so a bad foreign key is reported first).
// A create reads back the payload as given, an update the values as processed for the statement.
// Every expected reply is what Directus 12.4 sent for the same request (tools/differential/probe.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driver, rest } from './differential-driver.ts';

type Row = readonly [method: 'POST' | 'PATCH', field: string, value: unknown, status: number, reply: unknown];

/** Sent in this order to one Directus (created ids count up): products 1–6 exist; stamp is a timestamp, made_at a dateTime, day a date. */
const SENT: readonly Row[] = [
  ['POST', 'stamp', {}, 500, 'value.toISOString is not a function'],
  ['POST', 'stamp', [], 500, 'value.toISOString is not a function'],
  ['POST', 'stamp', [1], 500, 'value.toISOString is not a function'],
  ['POST', 'stamp', true, 500, 'value.toISOString is not a function'],
  ['POST', 'stamp', false, 200, { id: 7, stamp: 0 }],
  ['POST', 'stamp', 0, 200, { id: 8, stamp: 0 }],
  ['POST', 'stamp', 5, 200, { id: 9, stamp: '1970-01-01T00:00:00.005Z' }],
  ['POST', 'stamp', -1, 200, { id: 10, stamp: '1969-12-31T23:59:59.999Z' }],
  ['POST', 'stamp', 1e20, 500, 'Invalid time value'],
  ['POST', 'stamp', 'x', 500, 'Invalid time value'],
  ['POST', 'stamp', {a: 1}, 500, 'value.toISOString is not a function'],
  ['POST', 'stamp', '2024/01/02', 200, { id: 11, stamp: null }],
  ['POST', 'stamp', '0000-00-00 00:00:00', 200, { id: 12, stamp: null }],
  ['POST', 'stamp', '', 200, { id: 13, stamp: '' }],
  ['POST', 'stamp', '2024-W03-1', 500, 'Invalid time value'],
  ['POST', 'made_at', {}, 500, 'value.getFullYear is not a function'],
  ['POST', 'made_at', [], 500, 'value.getFullYear is not a function'],
  ['POST', 'made_at', [1], 500, 'value.getFullYear is not a function'],
  ['POST', 'made_at', true, 500, 'value.getFullYear is not a function'],
  ['POST', 'made_at', false, 200, { id: 14, made_at: 0 }],
  ['POST', 'made_at', 0, 200, { id: 15, made_at: 0 }],
  ['POST', 'made_at', 5, 200, { id: 16, made_at: '1970-01-01T00:00:00' }],
  ['POST', 'made_at', -1, 200, { id: 17, made_at: '1969-12-31T23:59:59' }],
  ['POST', 'made_at', 1e20, 200, { id: 18, made_at: '0NaN-NaN-NaNTNaN:NaN:NaN' }],
  ['POST', 'made_at', 'x', 400, "Invalid payload. Invalid DateTime format in field \"made_at\"."],
  ['POST', 'made_at', {a: 1}, 500, 'value.getFullYear is not a function'],
  ['POST', 'made_at', '2024/01/02', 400, "Invalid payload. Invalid DateTime format in field \"made_at\"."],
  ['POST', 'made_at', '0000-00-00 00:00:00', 200, { id: 19, made_at: null }],
  ['POST', 'made_at', '', 200, { id: 20, made_at: '' }],
  ['POST', 'made_at', '2024-W03-1', 200, { id: 21, made_at: '2024-01-15T00:00:00' }],
  ['POST', 'day', {}, 500, 'value.getFullYear is not a function'],
  ['POST', 'day', [], 500, 'value.getFullYear is not a function'],
  ['POST', 'day', [1], 500, 'value.getFullYear is not a function'],
  ['POST', 'day', true, 500, 'value.getFullYear is not a function'],
  ['POST', 'day', false, 200, { id: 22, day: 0 }],
  ['POST', 'day', 0, 200, { id: 23, day: 0 }],
  ['POST', 'day', 5, 200, { id: 24, day: '1970-01-01' }],
  ['POST', 'day', -1, 200, { id: 25, day: '1969-12-31' }],
  ['POST', 'day', 1e20, 200, { id: 26, day: '0NaN-NaN-NaN' }],
  ['POST', 'day', 'x', 400, "Invalid payload. Invalid Date format in field \"day\"."],
  ['POST', 'day', {a: 1}, 500, 'value.getFullYear is not a function'],
  ['POST', 'day', '2024/01/02', 400, "Invalid payload. Invalid Date format in field \"day\"."],
  ['POST', 'day', '0000-00-00 00:00:00', 200, { id: 27, day: null }],
  ['POST', 'day', '', 200, { id: 28, day: '' }],
  ['POST', 'day', '2024-W03-1', 200, { id: 29, day: '2024-01-15' }],
  ['PATCH', 'stamp', {}, 500, 'Invalid time value'],
  ['PATCH', 'stamp', [], 500, 'Invalid time value'],
  ['PATCH', 'stamp', [1], 500, 'Invalid time value'],
  ['PATCH', 'stamp', true, 500, 'value.toISOString is not a function'],
  ['PATCH', 'stamp', false, 200, { id: 1, stamp: 0 }],
  ['PATCH', 'stamp', 0, 200, { id: 1, stamp: 0 }],
  ['PATCH', 'stamp', 5, 200, { id: 1, stamp: '1970-01-01T00:00:00.005Z' }],
  ['PATCH', 'stamp', -1, 200, { id: 1, stamp: '1969-12-31T23:59:59.999Z' }],
  ['PATCH', 'stamp', 1e20, 500, 'Invalid time value'],
  ['PATCH', 'stamp', 'x', 500, 'Invalid time value'],
  ['PATCH', 'stamp', {a: 1}, 500, 'Invalid time value'],
  ['PATCH', 'stamp', '2024/01/02', 500, 'Invalid time value'],
  ['PATCH', 'stamp', '0000-00-00 00:00:00', 200, { id: 1, stamp: null }],
  ['PATCH', 'stamp', '', 200, { id: 1, stamp: '' }],
  ['PATCH', 'stamp', '2024-W03-1', 200, { id: 1, stamp: '2024-01-15T00:00:00.000Z' }],
  ['PATCH', 'made_at', {}, 200, { id: 1, made_at: '0NaN-NaN-NaNTNaN:NaN:NaN' }],
  ['PATCH', 'made_at', [], 200, { id: 1, made_at: '0NaN-NaN-NaNTNaN:NaN:NaN' }],
  ['PATCH', 'made_at', [1], 200, { id: 1, made_at: '0NaN-NaN-NaNTNaN:NaN:NaN' }],
  ['PATCH', 'made_at', true, 500, 'value.getFullYear is not a function'],
  ['PATCH', 'made_at', false, 200, { id: 1, made_at: 0 }],
  ['PATCH', 'made_at', 0, 200, { id: 1, made_at: 0 }],
  ['PATCH', 'made_at', 5, 200, { id: 1, made_at: '1970-01-01T00:00:00' }],
  ['PATCH', 'made_at', -1, 200, { id: 1, made_at: '1969-12-31T23:59:59' }],
  ['PATCH', 'made_at', 1e20, 200, { id: 1, made_at: '0NaN-NaN-NaNTNaN:NaN:NaN' }],
  ['PATCH', 'made_at', 'x', 400, "Invalid payload. Invalid DateTime format in field \"made_at\"."],
  ['PATCH', 'made_at', {a: 1}, 200, { id: 1, made_at: '0NaN-NaN-NaNTNaN:NaN:NaN' }],
  ['PATCH', 'made_at', '2024/01/02', 400, "Invalid payload. Invalid DateTime format in field \"made_at\"."],
  ['PATCH', 'made_at', '0000-00-00 00:00:00', 200, { id: 1, made_at: null }],
  ['PATCH', 'made_at', '', 200, { id: 1, made_at: '' }],
  ['PATCH', 'made_at', '2024-W03-1', 200, { id: 1, made_at: '2024-01-15T00:00:00' }],
  ['PATCH', 'day', {}, 200, { id: 1, day: '0NaN-NaN-NaN' }],
  ['PATCH', 'day', [], 200, { id: 1, day: '0NaN-NaN-NaN' }],
  ['PATCH', 'day', [1], 200, { id: 1, day: '0NaN-NaN-NaN' }],
  ['PATCH', 'day', true, 500, 'value.getFullYear is not a function'],
  ['PATCH', 'day', false, 200, { id: 1, day: 0 }],
  ['PATCH', 'day', 0, 200, { id: 1, day: 0 }],
  ['PATCH', 'day', 5, 200, { id: 1, day: '1970-01-01' }],
  ['PATCH', 'day', -1, 200, { id: 1, day: '1969-12-31' }],
  ['PATCH', 'day', 1e20, 200, { id: 1, day: '0NaN-NaN-NaN' }],
  ['PATCH', 'day', 'x', 400, "Invalid payload. Invalid Date format in field \"day\"."],
  ['PATCH', 'day', {a: 1}, 200, { id: 1, day: '0NaN-NaN-NaN' }],
  ['PATCH', 'day', '2024/01/02', 400, "Invalid payload. Invalid Date format in field \"day\"."],
  ['PATCH', 'day', '0000-00-00 00:00:00', 200, { id: 1, day: null }],
  ['PATCH', 'day', '', 200, { id: 1, day: '' }],
  ['PATCH', 'day', '2024-W03-1', 200, { id: 1, day: '2024-01-15' }],
];

const expected = (status: number, reply: unknown) => {
  if (status === 200) return { status, body: { data: reply } };
  const message = reply as string;
  if (status === 500) return { status, body: { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } };
  return { status, body: { errors: [{ message, extensions: { reason: message.replace(/^Invalid payload\. (.*)\.$/, '$1'), code: 'INVALID_PAYLOAD' } }] } };
};

describe('date fields given values no date comes from', () => {
  it('create and update answer as Directus does, in the exception\'s words; failed writes change nothing', () => {
    const d = driver('catalog');
    for (const [method, field, value, status, reply] of SENT) {
      const url = `${method === 'POST' ? '/items/products' : '/items/products/1'}?fields=id,${field}`;
      assert.deepEqual(rest(d, method, url, 'admin-token', { name: 'n', [field]: value }), expected(status, reply), `${method} ${field} = ${JSON.stringify(value)}`);
    }
    // 23 creates stood (ids 7–29); the failed ones consumed no id.
    assert.deepEqual(rest(d, 'GET', '/items/products?aggregate[count]=id&aggregate[max]=id', 'admin-token'), { status: 200, body: { data: [{ count: { id: 29 }, max: { id: 29 } }] } });
  });
});

describe('the revision comes after the statement and the nested writes', () => {
  const serverError = (message: string) => ({ status: 500, body: { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });

  it('a foreign key the statement refuses is reported before a date the revision cannot read', () => {
    const d = driver('registry');
    const invalidForeignKey = { status: 400, body: { errors: [{ message: 'Invalid foreign key.', extensions: { collection: null, field: null, value: null, code: 'INVALID_FOREIGN_KEY' } }] } };
    assert.deepEqual(rest(d, 'POST', '/items/cities', 'clerk-token', { country: 'x'.repeat(40), founded: {}, capital: true }), invalidForeignKey);
    assert.deepEqual(rest(d, 'POST', '/items/cities', 'admin-token', { country: 'xx', founded: true }), invalidForeignKey);
    assert.deepEqual(rest(d, 'PATCH', '/items/cities/1', 'admin-token', { country: 'xx', founded: true }), invalidForeignKey);
    assert.deepEqual(rest(d, 'PATCH', '/items/cities/1', 'admin-token', { founded: true }), serverError('value.getFullYear is not a function'));
    // Only admins are shown an exception's words.
    assert.deepEqual(rest(d, 'PATCH', '/items/cities/1', 'clerk-token', { founded: true }), serverError('An unexpected error occurred.'));
  });

  it('nested creates record their own revisions: an o2m or m2o item\'s date fails the whole write', () => {
    const d = driver('registry');
    assert.deepEqual(rest(d, 'POST', '/items/countries', 'admin-token', { code: 'QQ', cities: [{ name: 'a', founded: {} }] }), serverError('value.getFullYear is not a function'));
    assert.deepEqual(rest(d, 'POST', '/items/people', 'admin-token', { name: 'a', born: '2024-01-01', mentees: [{ name: 'm', born: {} }] }), serverError('value.getFullYear is not a function'));
    assert.deepEqual(rest(d, 'GET', '/items/countries?filter[code][_eq]=QQ', 'admin-token'), { status: 200, body: { data: [] } });
    assert.deepEqual(rest(d, 'GET', '/items/people?aggregate[count]=*', 'admin-token'), { status: 200, body: { data: [{ count: 4 }] } });
  });

  it('fields are read in the collection\'s order; an update records a revision for a key with no row; WebSocket answers nothing', () => {
    const d = driver('catalog');
    assert.deepEqual(rest(d, 'POST', '/items/products?fields=id,stamp', 'admin-token', { name: 'n', made_at: true, stamp: true }), serverError('value.toISOString is not a function'));
    assert.deepEqual(rest(d, 'PATCH', '/items/products/999?fields=id,stamp', 'admin-token', { made_at: true }), serverError('value.getFullYear is not a function'));
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'products', action: 'create', data: { name: 'a', made_at: {} }, uid: 'w1' }), []);
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'products', action: 'update', id: 1, data: { stamp: '2024/01/02' }, uid: 'w2' }), []);
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'products', action: 'read', id: 1, query: { fields: ['stamp'] }, uid: 'r' }), { type: 'items', data: { stamp: '2024-01-11T01:30:00.000Z' }, uid: 'r' });
  });
});
