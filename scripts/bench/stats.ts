// Small statistics and a table printer for the benchmark.
import { cpus } from "node:os";

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

/** What a throughput phase measured: its rate, and the whole machine's CPU while it ran. */
export interface Throughput {
  perSecond: number;
  count: number;
  /** CPU time of every process on the machine (ms, all cores together) while the phase ran. */
  machineBusyMs: number;
  /** The share of all cores' time that was busy. */
  machineBusyShare: number;
}

/**
 * Busy and total CPU time of the machine so far (ms, all cores, every process:
 * the app, PostgreSQL and the kernel alike), from the counters the OS keeps
 * (os.cpus(), at the kernel's 10 ms tick).
 */
function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times: t } of cpus()) {
    const b = t.user + t.nice + t.sys + t.irq;
    busy += b;
    total += b + t.idle;
  }
  return { busy, total };
}

/** Runs `workers` loops of `task` until `ms` has passed; returns completed calls per second and the machine's CPU meanwhile. */
export async function throughput(workers: number, ms: number, task: (worker: number) => Promise<void>): Promise<Throughput> {
  let count = 0;
  const deadline = performance.now() + ms;
  const started = performance.now();
  const cpu = machineCpu();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < deadline) {
        await task(w);
        count++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const after = machineCpu();
  const busy = after.busy - cpu.busy;
  return { perSecond: count / elapsed, count, machineBusyMs: busy, machineBusyShare: busy / Math.max(1, after.total - cpu.total) };
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
