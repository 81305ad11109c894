// String keys, uuid keys with a self-relation, o2m with cascade, a singleton without a row.
import { alias, intKey, plain, stringKey, system, uuidKey } from './fields.mjs';

export const collections = [
  { collection: 'countries', meta: {}, schema: {}, fields: [stringKey('code'), plain('name', 'string'), plain('population', 'bigInteger'), plain('eu', 'boolean', { default_value: false }), plain('area', 'float')] },
  { collection: 'cities', meta: {}, schema: {}, fields: [intKey(), plain('name', 'string'), plain('country', 'string'), plain('capital', 'boolean', { default_value: false }), plain('founded', 'date'), plain('timezone', 'string'), plain('coords', 'json', {}, { special: ['cast-json'] })] },
  { collection: 'people', meta: {}, schema: {}, fields: [uuidKey(), plain('name', 'string'), plain('born', 'dateTime'), plain('city', 'integer'), plain('mentor', 'uuid'), plain('score', 'decimal', { numeric_precision: 8, numeric_scale: 3 })] },
  { collection: 'prefs', meta: { singleton: true }, schema: {}, fields: [intKey(), plain('theme', 'string', { default_value: 'light' }), plain('page_size', 'integer', { default_value: 20 })] },
];

export const aliases = [['countries', alias('cities', 'o2m')], ['people', alias('mentees', 'o2m')], ['cities', alias('people', 'o2m')]];

export const relations = [
  { collection: 'cities', field: 'country', related_collection: 'countries', meta: { one_field: 'cities' }, schema: { on_delete: 'CASCADE' } },
  { collection: 'people', field: 'city', related_collection: 'cities', meta: { one_field: 'people' }, schema: { on_delete: 'SET NULL' } },
  { collection: 'people', field: 'mentor', related_collection: 'people', meta: { one_field: 'mentees' }, schema: { on_delete: 'SET NULL' } },
];

const u = (n) => `e0e0e0e0-0000-4000-9000-${String(n).padStart(12, '0')}`;
export const data = {
  countries: [
    { code: 'DE', name: 'Germany', population: '83200000', eu: true, area: 357588.5 },
    { code: 'FR', name: 'France', population: '68000000', eu: true, area: 551695 },
    { code: 'NO', name: 'Norway', population: '5500000', eu: false, area: 385207.25 },
    { code: 'CH', name: 'Switzerland', population: null, eu: false, area: null },
  ],
  cities: [
    { id: 1, name: 'Berlin', country: 'DE', capital: true, founded: '1237-01-01', timezone: 'Europe/Berlin', coords: [52.5, 13.4] },
    { id: 2, name: 'Hamburg', country: 'DE', capital: false, founded: '0808-01-01', timezone: 'Europe/Berlin', coords: null },
    { id: 3, name: 'Paris', country: 'FR', capital: true, founded: null, timezone: 'Europe/Paris', coords: { lat: 48.8 } },
    { id: 4, name: 'Oslo', country: 'NO', capital: true, founded: '1040-01-01', timezone: null, coords: null },
    { id: 5, name: 'Lyon', country: 'FR', capital: false, founded: '0043-01-01', timezone: 'Europe/Paris', coords: [] },
  ],
  people: [
    { id: u(1), name: 'Ada', born: '1990-05-01T08:00:00', city: 1, mentor: null, score: 12.5 },
    { id: u(2), name: 'Ben', born: '1985-11-23T17:45:10', city: 3, mentor: u(1), score: 7.125 },
    { id: u(3), name: 'Cy', born: null, city: null, mentor: u(1), score: null },
    { id: u(4), name: 'Dee', born: '2001-01-01T00:00:00', city: 4, mentor: u(2), score: 99.999 },
  ],
  ...system('e1e1', [
    { name: 'Admin', policies: [{ admin: true }] },
    { name: 'Clerk', policies: [{ allow: { countries: ['read'], cities: ['read', 'create', 'update'] } }, { allow: { people: ['read', 'delete'], prefs: ['read'] } }] },
  ], { countries: ['read'], cities: ['read'] }),
};
