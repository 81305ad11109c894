// The markdown report: per schema the share of identical replies, per category the counts and the
// smallest reproduction of each signature.
import { classify, type Mismatch } from './classify.ts';

export interface SchemaResult { readonly schema: string; readonly total: number; readonly wellFormed: number; readonly same: number; readonly sameWellFormed: number; readonly mismatches: readonly Mismatch[] }

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
const short = (v: unknown, max = 900) => { const s = JSON.stringify(v); return s.length > max ? `${s.slice(0, max)}…` : s; };

export const figures = (results: readonly SchemaResult[]) => results.map((r) => {
  const categories: Record<string, { all: number; wellFormed: number }> = {};
  for (const m of r.mismatches) {
    const { category } = classify(m);
    const c = (categories[category] ??= { all: 0, wellFormed: 0 });
    c.all++;
    if (m.kase.wellFormed) c.wellFormed++;
  }
  return { schema: r.schema, total: r.total, wellFormed: r.wellFormed, identical: pct(r.same, r.total), identicalWellFormed: pct(r.sameWellFormed, r.wellFormed), categories };
});

export const renderReport = (seed: number, results: readonly SchemaResult[], dialect = 'sqlite'): string => {
  const lines = [`# Differential run, seed ${seed}${dialect === 'sqlite' ? '' : ` (Directus and standin on ${dialect})`}`, '', '| schema | requests | identical | well-formed | identical (well-formed) |', '| --- | --- | --- | --- | --- |'];
  for (const r of results) lines.push(`| ${r.schema} | ${r.total} | ${r.same} (${pct(r.same, r.total)}) | ${r.wellFormed} | ${r.sameWellFormed} (${pct(r.sameWellFormed, r.wellFormed)}) |`);
  for (const r of results) {
    lines.push('', `## ${r.schema}`, '');
    const byCategory = new Map<string, Map<string, Mismatch[]>>();
    for (const m of r.mismatches) {
      const { category, signature } = classify(m);
      const sigs = byCategory.get(category) ?? new Map<string, Mismatch[]>();
      byCategory.set(category, sigs);
      sigs.set(signature, [...(sigs.get(signature) ?? []), m]);
    }
    lines.push('| category | mismatches | well-formed |', '| --- | --- | --- |');
    for (const [cat, sigs] of byCategory) {
      const all = [...sigs.values()].flat();
      lines.push(`| ${cat} | ${all.length} | ${all.filter((m) => m.kase.wellFormed).length} |`);
    }
    for (const [cat, sigs] of byCategory) {
      lines.push('', `### ${r.schema}: ${cat}`);
      for (const [sig, ms] of [...sigs].sort((a, b) => b[1].length - a[1].length)) {
        const smallest = [...ms].sort((a, b) => JSON.stringify(a.kase.calls).length - JSON.stringify(b.kase.calls).length)[0]!;
        lines.push('', `- **${sig}** — ${ms.length} (${ms.filter((m) => m.kase.wellFormed).length} well-formed); smallest: case ${smallest.kase.n} [${smallest.kase.tags.join(' ')}]`);
        lines.push('  ```', `  request:  ${short(smallest.kase.calls)}`, `  directus: ${short(smallest.oracle)}`, `  standin:  ${short(smallest.standin)}`);
        if (smallest.dataDiffers) lines.push(`  directus changed: ${short(smallest.oracleChanges)}`, `  standin changed:  ${short(smallest.standinChanges)}`);
        lines.push('  ```');
      }
    }
  }
  return lines.join('\n') + '\n';
};
