// Aggregates as Directus on Postgres returns them (the dialect's `numericAggregatesAsText`): `pg`
// hands int8 and numeric results over as text, and Directus passes that text on. So `count` is
// "6", `sum` of an integer column is its exact sum as text, `avg` of one is numeric division printed
// with Postgres's scale ("9.5000000000000000"); a float (real) column sums in float4, averages in float8;
// a time sums and averages as an interval. Functions Postgres has no version of for a column's type
// fail the read before it runs (the dialect's `typedAggregates`).
import { DatabaseFailure } from '../../errors.ts';
import { float4, postgresColumnType } from '../../postgres-column.ts';
import type { FieldType, JsonValue, Schema } from '../../types.ts';

const INTEGER_TYPES: ReadonlySet<FieldType> = new Set(['integer', 'bigInteger']);

const toBigInt = (v: JsonValue): bigint | null => {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return BigInt(v.trim());
  return null;
};

/** Base-10000 weight and leading digit group of |n| (Postgres's NumericVar), for its division scale. */
const numericDigits = (n: bigint): { weight: number; first: number } => {
  const abs = n < 0n ? -n : n;
  if (abs === 0n) return { weight: 0, first: 0 };
  const digits = abs.toString();
  const weight = Math.floor((digits.length - 1) / 4);
  return { weight, first: Number(digits.slice(0, digits.length - weight * 4)) };
};

/** numeric_div's result scale (select_div_scale): at least 16 significant digits. */
const divisionScale = (dividend: bigint, divisor: bigint): number => {
  const a = numericDigits(dividend);
  const b = numericDigits(divisor);
  let qweight = a.weight - b.weight;
  if (a.first <= b.first) qweight--;
  return Math.min(Math.max(16 - qweight * 4, 0), 1000);
};

/** `dividend / divisor` as Postgres prints a numeric: rounded half away from zero to the division scale. */
const numericQuotient = (dividend: bigint, divisor: bigint): string => {
  const scale = divisionScale(dividend, divisor);
  const negative = (dividend < 0n) !== (divisor < 0n);
  const a = dividend < 0n ? -dividend : dividend;
  const b = divisor < 0n ? -divisor : divisor;
  const scaled = a * 10n ** BigInt(scale);
  const rounded = (scaled + b / 2n) / b; // half away from zero (b/2 truncated: exact halves round up)
  const text = rounded.toString().padStart(scale + 1, '0');
  const whole = text.slice(0, text.length - scale);
  const fraction = text.slice(text.length - scale);
  const body = scale > 0 ? `${whole}.${fraction}` : whole;
  return negative && rounded !== 0n ? `-${body}` : body;
};

const distinct = (values: readonly JsonValue[]): JsonValue[] => [...new Map(values.map((v) => [JSON.stringify(v), v])).values()];

/** `HH:MM:SS[.ffffff]` (a time column's text) in microseconds. */
const timeMicros = (v: JsonValue): number | null => {
  const m = typeof v === 'string' ? /^(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(v) : null;
  if (!m) return null;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1e6 + Number((m[4] ?? '').padEnd(6, '0'));
};

/** rint: to the nearest integer, halves to even. */
const roundHalfEven = (n: number): number => {
  const r = Math.round(n);
  return Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/**
 * An interval of `micros` as Directus returns it: `pg` parses Postgres's `82:30:00` with
 * postgres-interval, whose JSON holds the non-zero hours, minutes, seconds and milliseconds.
 */
const intervalValue = (micros: number): JsonValue => {
  const out: Record<string, number> = {};
  const hours = Math.trunc(micros / 3_600_000_000);
  const minutes = Math.trunc(micros / 60_000_000) % 60;
  const seconds = Math.trunc(micros / 1_000_000) % 60;
  const fraction = micros % 1_000_000;
  if (hours) out['hours'] = hours;
  if (minutes) out['minutes'] = minutes;
  if (seconds) out['seconds'] = seconds;
  if (fraction) out['milliseconds'] = fraction / 1000;
  return out;
};

/** Column types Postgres sums and averages (a time through its cast to interval). */
const SUMMABLE: ReadonlySet<string> = new Set(['integer', 'bigint', 'real', 'numeric', 'time without time zone']);
/** Column types Postgres has no min/max for. */
const UNORDERED: ReadonlySet<string> = new Set(['boolean', 'json', 'uuid']);

/**
 * The first aggregate call of `calls` that Postgres refuses while it plans the read, in select order:
 * a function with no version for the column's type, a DISTINCT count with no equality operator (json,
 * or a whole row, `countDistinct(*)`, of a table holding a json column).
 */
export const postgresAggregateRefusal = (
  schema: Schema, collection: string, calls: readonly (readonly [string, readonly string[]])[],
): DatabaseFailure | undefined => {
  const info = schema.collections[collection];
  if (!info) return undefined;
  for (const [fn, fields] of calls) {
    if (fn === 'count' || fn === 'countAll') continue;
    const base = fn.replace('Distinct', '');
    for (const f of fields) {
      if (f === '*') {
        const holdsJson = Object.values(info.fields).some((def) => !def.alias && def.type === 'json');
        if (fn !== 'countDistinct') return new DatabaseFailure(`function ${base}(${collection}) does not exist`);
        if (holdsJson) return new DatabaseFailure(`could not identify an equality operator for type ${collection}`);
        continue;
      }
      const def = Object.hasOwn(info.fields, f) ? info.fields[f] : undefined;
      const type = def ? postgresColumnType(schema, collection, def) : undefined;
      if (type === undefined) continue;
      if (fn === 'countDistinct') {
        if (type === 'json') return new DatabaseFailure('could not identify an equality operator for type json');
      } else if ((base === 'sum' || base === 'avg') ? !SUMMABLE.has(type) : UNORDERED.has(type)) {
        return new DatabaseFailure(`function ${base}(${type}) does not exist`);
      }
    }
  }
  return undefined;
};

/**
 * `fn` over the non-null `values` of a column of `type` as Postgres returns it, or undefined where
 * Postgres agrees with the SQLite computation (min, max, and types not measured to differ).
 */
export const postgresAggregate = (fn: string, type: FieldType | null, present: readonly JsonValue[]): JsonValue | undefined => {
  if (fn === 'count') return String(present.length);
  if (fn === 'countDistinct') return String(distinct(present).length);
  const base = fn === 'sumDistinct' ? 'sum' : fn === 'avgDistinct' ? 'avg' : fn;
  if (base !== 'sum' && base !== 'avg') return undefined;
  const values = fn.endsWith('Distinct') ? distinct(present) : present;
  if (values.length === 0) return null;
  if (type === 'time') {
    const micros = values.map(timeMicros);
    if (micros.some((v) => v === null)) return undefined;
    const sum = (micros as number[]).reduce((a, b) => a + b, 0);
    return intervalValue(base === 'sum' ? sum : roundHalfEven(sum / micros.length));
  }
  if (type !== null && INTEGER_TYPES.has(type)) {
    const ints = values.map(toBigInt);
    if (ints.some((v) => v === null)) return undefined;
    const sum = (ints as bigint[]).reduce((a, b) => a + b, 0n);
    return base === 'sum' ? sum.toString() : numericQuotient(sum, BigInt(ints.length));
  }
  if (type === 'float') {
    // float4_accum widens each float4 to float8 exactly, so the average carries float4's rounding.
    const numbers = values.map((v) => Math.fround(Number(v)));
    if (base === 'avg') return numbers.reduce((a, b) => a + b, 0) / numbers.length;
    return float4(numbers.reduce((a, b) => Math.fround(a + b), 0));
  }
  return undefined;
};
