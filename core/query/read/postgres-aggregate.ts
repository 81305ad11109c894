// Aggregates as Directus on Postgres returns them (the dialect's `numericAggregatesAsText`): `pg`
// hands int8 and numeric results over as text, and Directus passes that text on. So `count` is
// "6", `sum` of an integer column is its exact sum as text, `avg` of one is numeric division printed
// with Postgres's scale ("9.5000000000000000"); a float (real) column sums in float4, averages in float8.
import { float4 } from '../../postgres-column.ts';
import type { FieldType, JsonValue } from '../../types.ts';

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
  if (type !== null && INTEGER_TYPES.has(type)) {
    const ints = values.map(toBigInt);
    if (ints.some((v) => v === null)) return undefined;
    const sum = (ints as bigint[]).reduce((a, b) => a + b, 0n);
    return base === 'sum' ? sum.toString() : numericQuotient(sum, BigInt(ints.length));
  }
  if (type === 'float') {
    const numbers = values.map(Number);
    if (base === 'avg') return numbers.reduce((a, b) => a + b, 0) / numbers.length;
    return float4(numbers.reduce((a, b) => Math.fround(a + b), 0));
  }
  return undefined;
};
