// Small helpers shared by the pure unit tests (no I/O, no mocks).

/** Runs `fn`, expects it to throw an instance of `type`, and returns that error for closer inspection. */
export function thrown<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected ${type.name} to be thrown, but nothing was thrown`);
  if (!(error instanceof type)) throw new Error(`expected ${type.name}, got ${String(error)}`);
  return error;
}

/** Epoch milliseconds -> ISO string in UTC, to make instant assertions readable. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Epoch milliseconds of an ISO instant. */
export function ms(isoInstant: string): number {
  const t = Date.parse(isoInstant);
  if (Number.isNaN(t)) throw new Error(`bad instant in test: ${isoInstant}`);
  return t;
}
