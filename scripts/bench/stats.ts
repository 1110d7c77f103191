// Small statistics and a table printer for the benchmark.

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarise(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN };
}

export interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
}

export function printTable(rows: Row[]): void {
  const cols: (keyof Row)[] = ["figure", "value", "baseline", "ratio", "target"];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => r[c].length))])) as Record<keyof Row, number>;
  const line = (r: Record<keyof Row, string>) => `| ${cols.map((c) => r[c].padEnd(width[c])).join(" | ")} |`;
  console.log(line({ figure: "figure", value: "value", baseline: "baseline", ratio: "ratio", target: "target" }));
  console.log(`|${cols.map((c) => "-".repeat(width[c] + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Runs `workers` loops of `task` until `ms` has passed; returns completed calls per second. */
export async function throughput(workers: number, ms: number, task: (worker: number) => Promise<void>): Promise<{ perSecond: number; count: number }> {
  let count = 0;
  const deadline = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < deadline) {
        await task(w);
        count++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: count / elapsed, count };
}

/** A p50 and a p99 row for `samples`, each beside the same percentile of `selectOne` (SELECT 1 timed in the same loop). */
export function latencyRows(figures: { p50: string; p99: string }, samples: number[], selectOne: number[], target99 = ""): Row[] {
  const s = summarise(samples);
  const b = summarise(selectOne);
  return (["p50", "p99"] as const).map((p) => ({
    figure: figures[p],
    value: fmt(s[p], 2),
    baseline: `${fmt(b[p], 2)} SELECT 1`,
    ratio: fmt(s[p] / b[p], 1),
    target: p === "p99" ? target99 : "",
  }));
}
