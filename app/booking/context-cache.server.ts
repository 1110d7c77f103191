// The booking contexts a process read lately, so that a booking request makes
// one round trip (the write) instead of two (read, then write); see
// docs/decisions/005-booking-hot-path.md, "Contexts kept between requests".
//
// A kept context is never trusted on its own: every write made with one
// checks, in the same call and after locking the venue's row, that the venue's
// rules stamp is still the one read and that the actor is still a member of an
// association in the same state (flokk_check_context, db/migrations/…-0010, and
// for a batch flokk_check_batch, …-0011).
// When it is not, the engine forgets the entry, reads afresh and tries again;
// and a refusal is only given on a fresh read. So a kept context costs at
// worst a retry: a booking is checked against the rules as they are when it
// is written, as with a context read just before. (Changes made with the
// triggers bypassed, such as TRUNCATE, are not seen until the entry expires.)

/** An entry is read again after this long even if nothing changed: memory is freed, and stamps are not kept forever. */
const TTL_MS = 60_000;
/** Enough for every venue an association books in a busy minute, small enough not to matter. */
const MAX_ENTRIES = 5_000;

interface Entry<T> {
  value: T;
  /** The local dates whose closures the value holds. */
  from: string;
  to: string;
  expires: number;
}

export class ContextCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** The kept value when it covers the local dates [from, to] and has not expired. */
  get(key: string, from: string, to: string): T | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expires <= this.clock() || from < e.from || to > e.to) {
      this.entries.delete(key);
      return null;
    }
    // Map order is insertion order: moving it to the end keeps the least recently used first.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, value: T, from: string, to: string): void {
    this.entries.delete(key);
    this.entries.set(key, { value, from, to, expires: this.clock() + TTL_MS });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The cache in `caches` for `owner` (a database handle), made on first use. */
export function cacheFor<T>(caches: WeakMap<object, ContextCache<T>>, owner: object): ContextCache<T> {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new ContextCache<T>();
    caches.set(owner, cache);
  }
  return cache;
}
