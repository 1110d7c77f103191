// Coalescing: concurrent calls of one process share one round trip. Much of a
// booking's cost was per statement (a socket write and read on each side,
// executor start, commit and its WAL flush); sending the bookings that arrive
// while a call is in flight together in the next call divides that part
// (docs/decisions/005-booking-hot-path.md).
//
// A call goes out at once when none is in flight (no timer, so a lone request
// never waits); at most one batch per coalescer is in flight, and a batch
// holds at most 32 items (so a batch of writes stays under PostgreSQL's 64
// cached subtransactions per backend).
import type { Database } from "db/client";

export const MAX_BATCH = 32;

interface Job<I, O> {
  input: I;
  resolve: (out: O) => void;
  reject: (e: unknown) => void;
}

/** What `run` returns for each input, in order: its result or the error to throw for it alone. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export class Coalescer<I, O> {
  private queue: Job<I, O>[] = [];
  private busy = false;

  constructor(private readonly run: (inputs: I[]) => Promise<Outcome<O>[]>) {}

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        // After the current turn's callbacks: callers woken by the same
        // result (the previous batch) join this batch instead of each sending one.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const jobs = this.queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await this.run(jobs.map((j) => j.input));
        jobs.forEach((job, i) => {
          const o = outcomes[i];
          if (!o) job.reject(new Error("coalesced call returned no outcome"));
          else if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      } catch (e) {
        // The whole statement failed (connection lost, …): every caller in it sees that.
        for (const job of jobs) job.reject(e);
      }
    }
    this.busy = false;
  }
}

/** One coalescer per database handle (pool) and purpose, made on first use. */
export function coalescerFor<I, O>(
  cache: WeakMap<Database, Coalescer<I, O>>,
  db: Database,
  run: (db: Database, inputs: I[]) => Promise<Outcome<O>[]>,
): Coalescer<I, O> {
  let c = cache.get(db);
  if (!c) {
    c = new Coalescer((inputs) => run(db, inputs));
    cache.set(db, c);
  }
  return c;
}
