import { describe, expect, it } from "vitest";
import { newId } from "~/ids/ids";

// RFC 9562: version 7 in the 13th hex digit, variant 10xx in the 17th.
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds in a UUIDv7's first 48 bits. */
const millisOf = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe("newId", () => {
  it("is a UUIDv7 carrying the time it was made", () => {
    const at = Date.UTC(2026, 11, 2, 8, 15, 30, 123);
    const id = newId(at);
    expect(id).toMatch(V7);
    expect(millisOf(id)).toBe(at);
    expect(millisOf(newId())).toBeGreaterThan(Date.UTC(2026, 0, 1));
  });

  it("sorts by time as text, so new rows go to the end of an index", () => {
    const ids = [0, 1, 2, 1000, 86_400_000].map((d) => newId(Date.UTC(2026, 11, 2) + d));
    expect([...ids].sort()).toEqual(ids);
  });

  it("refuses a time it cannot write in 48 bits", () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 48]) expect(() => newId(bad)).toThrow(RangeError);
    expect(newId(2 ** 48 - 1)).toMatch(V7);
  });

  it("differs in its random bits within one millisecond", () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newId(at)));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(id).toMatch(V7);
  });
});
