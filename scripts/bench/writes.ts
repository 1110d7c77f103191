// The write section of `npm run bench`: requestBooking with 8 clients on
// distinct slots beside plain single-row INSERTs into a table with the same
// exclusion constraint, through the same pool and alternating so that drift on
// the machine hits both alike; then the contended case (many clients, few slots).
// Each round's ratio is printed too: on a shared virtual machine the same
// round has been seen to vary by a fifth from one minute to the next, and
// one mean alone hides that.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { requestBooking } from "../../app/booking/booking.server";
import { BookingConflict } from "../../app/errors/domain-errors";
import { addDays } from "../../app/time/zoned";
import { type BenchContext, makeVenues } from "./data";
import { fmt, type Row, throughput } from "./stats";

/** The concurrent clients of the throughput figure (the eight). */
export const WRITE_CLIENTS = 8;
/**
 * Alternating engine/baseline rounds. Each phase lasts --seconds / ROUNDS, so
 * the section writes as much as with two rounds of half --seconds each: more
 * writes leave the server busier (vacuum, checkpoints) for the sections after
 * it (availability now runs before it: scripts/bench.ts).
 */
const ROUNDS = 4;

export async function benchWrites({ db, pool, world, now, tag }: BenchContext, seconds: number, throughputOnly: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  // --- Engine vs plain INSERT, 8 clients, distinct slots -------------------
  const venues = await makeVenues(db, world.siteId, `bench-${tag}`, 64);
  await sql`CREATE TABLE IF NOT EXISTS bench_baseline (space_id bigint NOT NULL, during tstzrange NOT NULL,
    EXCLUDE USING gist (space_id WITH =, during WITH &&))`.execute(db);
  await sql`TRUNCATE bench_baseline`.execute(db);

  let slot = 0;
  const firstDay = addDays(now.toISOString().slice(0, 10), 2);
  const nextSlot = () => {
    const i = slot++;
    const venue = venues[i % venues.length]!;
    const hourIndex = Math.floor(i / venues.length);
    const day = addDays(firstDay, Math.floor(hourIndex / 20));
    const hour = 2 + (hourIndex % 20);
    return { venue, day, start: `${String(hour).padStart(2, "0")}:00`, end: `${String(hour + 1).padStart(2, "0")}:00`, i };
  };
  const engineTask = async () => {
    const s = nextSlot();
    await requestBooking(
      db,
      { actorId: world.actorId, venueId: s.venue, associationId: world.associationId, date: s.day, start: s.start, end: s.end, title: `Bench ${s.i}`, expectedAttendees: 10, idempotencyKey: randomUUID() },
      now,
    );
  };
  let baseSlot = 0;
  const baselineTask = async () => {
    const i = baseSlot++;
    const start = Date.parse("2030-01-01T00:00:00Z") + i * 3_600_000;
    await pool.query("INSERT INTO bench_baseline (space_id, during) VALUES ($1, tstzrange($2, $3, '[)'))", [i % 64, new Date(start), new Date(start + 3_600_000)]);
  };
  // Warm up both paths, then alternate so drift on the machine hits both alike.
  await throughput(WRITE_CLIENTS, 500, engineTask);
  await throughput(WRITE_CLIENTS, 500, baselineTask);
  const engine: number[] = [];
  const baseline: number[] = [];
  const wal = { engine: 0, engineOps: 0, baseline: 0, baselineOps: 0 };
  const cpu = { engine: 0, engineShare: 0, baseline: 0, baselineShare: 0 };
  const lsn = async () => (await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(db)).rows[0]!.lsn;
  const walBytes = async (from: string) => Number((await sql<{ n: string }>`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ${from}::pg_lsn)::text AS n`.execute(db)).rows[0]!.n);
  for (let round = 0; round < ROUNDS; round++) {
    let mark = await lsn();
    const base = await throughput(WRITE_CLIENTS, (seconds * 1000) / ROUNDS, baselineTask);
    wal.baseline += await walBytes(mark);
    wal.baselineOps += base.count;
    cpu.baseline += base.machineBusyMs;
    cpu.baselineShare += base.machineBusyShare / ROUNDS;
    baseline.push(base.perSecond);
    mark = await lsn();
    const eng = await throughput(WRITE_CLIENTS, (seconds * 1000) / ROUNDS, engineTask);
    wal.engine += await walBytes(mark);
    wal.engineOps += eng.count;
    cpu.engine += eng.machineBusyMs;
    cpu.engineShare += eng.machineBusyShare / ROUNDS;
    engine.push(eng.perSecond);
  }
  const e = engine.reduce((a, b) => a + b) / engine.length;
  const b = baseline.reduce((a, b) => a + b) / baseline.length;
  rows.push({ figure: "requestBooking, 8 clients, distinct slots (bookings/s)", value: fmt(e), baseline: `${fmt(b)} plain INSERT/s`, ratio: fmt(e / b, 2), target: ">= 0.50" });
  const perRound = engine.map((x, i) => fmt(x / baseline[i]!, 2));
  rows.push({ figure: "  ratio in each round", value: perRound.join(", "), baseline: "", ratio: "", target: "" });
  const walE = wal.engine / wal.engineOps;
  const walB = wal.baseline / wal.baselineOps;
  rows.push({ figure: "  WAL written per booking (bytes)", value: fmt(walE), baseline: `${fmt(walB)} per plain INSERT`, ratio: fmt(walE / walB, 1), target: "" });
  rows.push(...cpuRows(cpu, wal.engineOps, wal.baselineOps));
  if (throughputOnly) return rows;

  // --- Contended: many clients, few slots ---------------------------------
  const hot = await makeVenues(db, world.siteId, `hot-${tag}`, 4);
  const hotClients = 32;
  let attempts = 0;
  let ok = 0;
  let conflicts = 0;
  let unexpected = 0;
  const contendedStart = performance.now();
  for (let round = 0; round < 20; round++) {
    const day = addDays(firstDay, 400 + round);
    await Promise.all(
      Array.from({ length: hotClients }, async (_, c) => {
        attempts++;
        try {
          await requestBooking(
            db,
            { actorId: world.actorId, venueId: hot[c % hot.length]!, associationId: world.associationId, date: day, start: "18:00", end: "19:00", title: "Hot", expectedAttendees: 5 },
            now,
          );
          ok++;
        } catch (err) {
          if (err instanceof BookingConflict) conflicts++;
          else unexpected++;
        }
      }),
    );
  }
  const contendedRate = attempts / ((performance.now() - contendedStart) / 1000);
  rows.push({
    figure: `contended: ${hotClients} clients, 4 slots x 20 rounds`,
    value: `${ok} ok / ${conflicts} conflicts / ${unexpected} errors`,
    baseline: `${fmt(contendedRate)} requests/s`,
    ratio: `${fmt(contendedRate / b, 2)}`,
    target: "ok = 80, errors = 0",
  });
  return rows;
}

/**
 * The machine's CPU behind the throughput ratio (docs/decisions/005-booking-hot-path.md,
 * "What the machine's CPU allows"): per booking and per plain INSERT, every
 * process counted, and how busy each phase kept the machine. When the
 * baseline keeps the cores busy a share u of the time at c_B a row, the
 * engine at c_E a booking could, with every core busy all the time, reach
 * at most (c_B / c_E) / u of it: the last row.
 */
function cpuRows(cpu: { engine: number; engineShare: number; baseline: number; baselineShare: number }, engineOps: number, baselineOps: number): Row[] {
  const perBooking = (cpu.engine * 1000) / engineOps;
  const perInsert = (cpu.baseline * 1000) / baselineOps;
  const pct = (x: number) => `${fmt(x * 100)} %`;
  return [
    { figure: "  machine CPU per booking (µs, every process)", value: fmt(perBooking), baseline: `${fmt(perInsert)} per plain INSERT`, ratio: fmt(perBooking / perInsert, 1), target: "" },
    { figure: "  machine busy during the phases", value: pct(cpu.engineShare), baseline: `${pct(cpu.baselineShare)} plain INSERT`, ratio: "", target: "" },
    { figure: "  most the ratio could be with every core busy", value: fmt(perInsert / perBooking / cpu.baselineShare, 2), baseline: "", ratio: "", target: "" },
  ];
}
