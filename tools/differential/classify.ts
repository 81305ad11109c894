// Sorts a mismatch into a root-cause category (issue 12's list, plus what the tester found), and a
// signature that groups mismatches of one shape inside a category.
import type { Case } from './cases.ts';

export interface Mismatch {
  readonly kase: Case;
  readonly oracle: readonly any[];
  readonly standin: readonly any[];
  readonly dataDiffers: boolean;
  readonly oracleChanges?: unknown;
  readonly standinChanges?: unknown;
}

const errorOf = (r: any): string | undefined => {
  if (r?.kind === 'rest') return r.status >= 400 ? `${r.status} ${r.body?.errors?.[0]?.extensions?.code ?? '?'}` : undefined;
  const e = (r?.frames ?? []).find((f: any) => f?.status === 'error');
  return e ? `${e.error?.code ?? '?'}` : undefined;
};
const summary = (rs: readonly any[]): string => rs.map((r) => {
  if (r.kind === 'rest') return errorOf(r) ?? `${r.status}`;
  const frames: any[] = r.frames ?? [];
  if (!frames.length) return 'silent';
  return frames.map((f) => (f?.status === 'error' ? `err:${f.error?.code}` : f?.type === 'subscription' ? `sub:${f.event}` : `${f?.type ?? '?'}`)).join('+');
}).join(' | ');

const isSilentWs = (rs: readonly any[]) => rs.some((r) => r.kind === 'ws' && r.conn !== 'raw' && (r.frames ?? []).length === 0);
const has500 = (rs: readonly any[]) => rs.some((r) => r.kind === 'rest' && r.status >= 500);
const rowsOf = (rs: readonly any[]): unknown[][] => rs.flatMap((r) => (r.kind === 'rest' ? [r.body?.data] : (r.frames ?? []).map((f: any) => f?.data)))
  .filter(Array.isArray);
const sameMultiset = (a: unknown[][], b: unknown[][]) => a.length === b.length && a.every((x, i) => {
  const y = b[i]!;
  const key = (v: unknown) => JSON.stringify(v);
  return x.length === y.length && JSON.stringify(x.map(key).sort()) === JSON.stringify(y.map(key).sort());
});

export const classify = (m: Mismatch): { category: string; signature: string } => {
  const t = new Set(m.kase.tags);
  const o = summary(m.oracle);
  const s = summary(m.standin);
  const signature = o === s ? `same shape: ${o}` : `directus ${o} / standin ${s}`;
  const category = (() => {
    if ((isSilentWs(m.oracle) && !isSilentWs(m.standin)) || (has500(m.oracle) && !has500(m.standin))) return 'Silence';
    if (isSilentWs(m.standin) || has500(m.standin)) return 'Standin silent or 500';
    const oErr = m.oracle.map(errorOf).filter(Boolean);
    const sErr = m.standin.map(errorOf).filter(Boolean);
    if (t.has('malformed')) return 'Malformed messages';
    // Directus validates the query before it looks at keys, permissions or the subscription.
    if (oErr.some((e) => /INVALID_QUERY/.test(e!)) && oErr.join() !== sErr.join()) return t.has('aggregate') ? 'Aggregates' : 'Validation';
    if (t.has('key:bad')) return 'Keys';
    if (t.has('subscribe') || t.has('auth') || t.has('singleton')) return 'Singletons, subscriptions, auth';
    if (t.has('aggregate')) return 'Aggregates';
    if (oErr.length || sErr.length) return t.has('relational') && (oErr.join() === sErr.join() || [...oErr, ...sErr].some((e) => /FORBIDDEN/.test(e!))) ? 'Relational reads' : 'Validation';
    if (t.has('no-sort') && (t.has('sort-field') || sameMultiset(rowsOf(m.oracle), rowsOf(m.standin)))) return 'Default order';
    if (t.has('relational')) return 'Relational reads';
    if (m.dataDiffers || t.has('create:one') || t.has('create:batch') || [...t].some((x) => x.startsWith('update:'))) return 'Stored values';
    return 'Other reads';
  })();
  return { category, signature };
};
