// Rate limits in the database, so that every app server counts together.
// Fixed windows: a counter per (bucket, window start), incremented with one
// upsert, which is atomic under concurrency.
import { sql, type Transaction } from "kysely";
import type { DB } from "db/schema";
import { TooManyRequests } from "~/errors/domain-errors";

export interface Limit {
  /** What is counted, e.g. "signin:ip:192.0.2.1". */
  bucket: string;
  max: number;
  windowSeconds: number;
}

/**
 * Counts one request against each limit; throws TooManyRequests (with the
 * minutes until the fullest window ends) when any is over. Call inside the
 * transaction of the work it guards: a refused request rolls its counts back.
 */
export async function countRequest(trx: Transaction<DB>, limits: readonly Limit[], now: Date): Promise<void> {
  let waitMs = 0;
  for (const limit of limits) {
    const windowMs = limit.windowSeconds * 1000;
    const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
    const row = await trx
      .insertInto("rate_limits")
      .values({ bucket: limit.bucket, window_start: windowStart, hits: 1 })
      .onConflict((oc) => oc.columns(["bucket", "window_start"]).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
      .returning("hits")
      .executeTakeFirstOrThrow();
    if (row.hits > limit.max) waitMs = Math.max(waitMs, windowStart.getTime() + windowMs - now.getTime());
  }
  if (waitMs > 0) throw new TooManyRequests(Math.max(1, Math.ceil(waitMs / 60_000)));
}

/** Counters of windows that ended more than a day ago are of no use. */
export async function purgeRateLimits(trx: Transaction<DB>, now: Date): Promise<void> {
  await trx.deleteFrom("rate_limits").where("window_start", "<", new Date(now.getTime() - 2 * 86_400_000)).execute();
}
