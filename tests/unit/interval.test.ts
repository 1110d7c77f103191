import { describe, expect, it } from "vitest";
import {
  contains,
  durationMinutes,
  type Interval,
  intersect,
  isValidInterval,
  MINUTE,
  merge,
  overlaps,
  subtract,
  withBuffer,
} from "~/time/interval";

const H = 60 * MINUTE;
/** [a, b) in hours, to keep the cases readable. */
const h = (a: number, b: number): Interval => ({ start: a * H, end: b * H });

describe("isValidInterval", () => {
  it("accepts a non-empty finite interval", () => {
    expect(isValidInterval(h(10, 11))).toBe(true);
  });
  it("refuses empty, reversed and non-finite intervals", () => {
    expect(isValidInterval(h(10, 10))).toBe(false);
    expect(isValidInterval(h(11, 10))).toBe(false);
    expect(isValidInterval({ start: Number.NaN, end: 5 })).toBe(false);
    expect(isValidInterval({ start: 0, end: Number.POSITIVE_INFINITY })).toBe(false);
    expect(isValidInterval({ start: Number.NEGATIVE_INFINITY, end: 0 })).toBe(false);
  });
});

describe("overlaps (half-open)", () => {
  it("10–11 and 11–12 touch but do not overlap, in either order", () => {
    expect(overlaps(h(10, 11), h(11, 12))).toBe(false);
    expect(overlaps(h(11, 12), h(10, 11))).toBe(false);
  });
  it("disjoint intervals do not overlap", () => {
    expect(overlaps(h(8, 9), h(10, 11))).toBe(false);
    expect(overlaps(h(10, 11), h(8, 9))).toBe(false);
  });
  it("a one-millisecond overlap counts", () => {
    const a = { start: 0, end: 1001 };
    const b = { start: 1000, end: 2000 };
    expect(overlaps(a, b)).toBe(true);
    expect(overlaps(b, a)).toBe(true);
  });
  it("partial, nested and identical intervals overlap", () => {
    expect(overlaps(h(10, 12), h(11, 13))).toBe(true);
    expect(overlaps(h(11, 13), h(10, 12))).toBe(true);
    expect(overlaps(h(8, 16), h(10, 11))).toBe(true);
    expect(overlaps(h(10, 11), h(8, 16))).toBe(true);
    expect(overlaps(h(10, 11), h(10, 11))).toBe(true);
  });
  it("intervals sharing a start or an end overlap", () => {
    expect(overlaps(h(10, 11), h(10, 12))).toBe(true);
    expect(overlaps(h(9, 12), h(10, 12))).toBe(true);
  });
});

describe("contains", () => {
  it("an interval contains itself", () => {
    expect(contains(h(10, 12), h(10, 12))).toBe(true);
  });
  it("contains a nested interval, including one sharing an edge", () => {
    expect(contains(h(8, 16), h(10, 11))).toBe(true);
    expect(contains(h(8, 16), h(8, 9))).toBe(true);
    expect(contains(h(8, 16), h(15, 16))).toBe(true);
  });
  it("does not contain an interval that sticks out on either side", () => {
    expect(contains(h(8, 16), h(7, 9))).toBe(false);
    expect(contains(h(8, 16), h(15, 17))).toBe(false);
    expect(contains(h(8, 16), { start: 8 * H, end: 16 * H + 1 })).toBe(false);
    expect(contains(h(8, 16), { start: 8 * H - 1, end: 9 * H })).toBe(false);
  });
  it("does not contain a larger or touching interval", () => {
    expect(contains(h(10, 11), h(8, 16))).toBe(false);
    expect(contains(h(10, 11), h(11, 12))).toBe(false);
  });
});

describe("withBuffer", () => {
  it("extends the end by the buffer minutes and keeps the start", () => {
    expect(withBuffer(h(10, 11), 15)).toEqual({ start: 10 * H, end: 11 * H + 15 * MINUTE });
  });
  it("a zero buffer leaves the interval as it was", () => {
    expect(withBuffer(h(10, 11), 0)).toEqual(h(10, 11));
  });
  it("does not change its argument", () => {
    const i = h(10, 11);
    withBuffer(i, 30);
    expect(i).toEqual(h(10, 11));
  });
  it("a buffered booking conflicts with one starting right after it, an unbuffered one does not", () => {
    const first = h(10, 11);
    const next = h(11, 12);
    expect(overlaps(first, next)).toBe(false);
    expect(overlaps(withBuffer(first, 15), next)).toBe(true);
  });
});

describe("durationMinutes", () => {
  it("measures the length in minutes", () => {
    expect(durationMinutes(h(10, 11))).toBe(60);
    expect(durationMinutes({ start: 0, end: 90 * MINUTE })).toBe(90);
  });
});

describe("merge", () => {
  it("returns nothing for an empty list", () => {
    expect(merge([])).toEqual([]);
  });
  it("sorts disjoint intervals", () => {
    expect(merge([h(14, 15), h(8, 9), h(11, 12)])).toEqual([h(8, 9), h(11, 12), h(14, 15)]);
  });
  it("joins overlapping intervals", () => {
    expect(merge([h(10, 12), h(11, 13)])).toEqual([h(10, 13)]);
  });
  it("joins touching intervals (08–12 and 12–16 are one opening)", () => {
    expect(merge([h(12, 16), h(8, 12)])).toEqual([h(8, 16)]);
  });
  it("absorbs nested intervals", () => {
    expect(merge([h(8, 16), h(9, 10), h(12, 13)])).toEqual([h(8, 16)]);
  });
  it("keeps the larger end when a shorter interval follows a longer one", () => {
    expect(merge([h(8, 16), h(9, 10), h(15, 18)])).toEqual([h(8, 18)]);
  });
  it("joins a chain of intervals into one", () => {
    expect(merge([h(1, 3), h(2, 5), h(5, 6), h(6, 7), h(9, 10)])).toEqual([h(1, 7), h(9, 10)]);
  });
  it("ignores empty, reversed and non-finite intervals", () => {
    expect(merge([h(10, 10), h(12, 11), { start: Number.NaN, end: 3 * H }, h(1, 2), { start: 0, end: Number.POSITIVE_INFINITY }])).toEqual([
      h(1, 2),
    ]);
  });
  it("does not change the intervals it is given", () => {
    const input = [h(10, 12), h(11, 13)];
    const copy = structuredClone(input);
    const out = merge(input);
    expect(input).toEqual(copy);
    expect(out[0]).not.toBe(input[0]);
  });
});

describe("subtract", () => {
  it("nothing minus anything is nothing", () => {
    expect(subtract([], [h(10, 11)])).toEqual([]);
  });
  it("subtracting nothing returns the merged base", () => {
    expect(subtract([h(12, 16), h(8, 12)], [])).toEqual([h(8, 16)]);
  });
  it("cuts a hole in the middle", () => {
    expect(subtract([h(8, 16)], [h(10, 11)])).toEqual([h(8, 10), h(11, 16)]);
  });
  it("cuts at the start and at the end", () => {
    expect(subtract([h(8, 16)], [h(8, 9)])).toEqual([h(9, 16)]);
    expect(subtract([h(8, 16)], [h(15, 16)])).toEqual([h(8, 15)]);
    expect(subtract([h(8, 16)], [h(7, 9), h(15, 17)])).toEqual([h(9, 15)]);
  });
  it("a covering cut removes everything", () => {
    expect(subtract([h(8, 16)], [h(8, 16)])).toEqual([]);
    expect(subtract([h(8, 16)], [h(0, 24)])).toEqual([]);
  });
  it("touching cuts change nothing", () => {
    expect(subtract([h(8, 16)], [h(6, 8), h(16, 18)])).toEqual([h(8, 16)]);
  });
  it("handles several and overlapping cuts in any order", () => {
    expect(subtract([h(8, 20)], [h(15, 16), h(9, 10), h(9, 11), h(18, 19)])).toEqual([h(8, 9), h(11, 15), h(16, 18), h(19, 20)]);
  });
  it("adjacent cuts leave no zero-length piece between them", () => {
    expect(subtract([h(8, 16)], [h(10, 11), h(11, 12)])).toEqual([h(8, 10), h(12, 16)]);
  });
  it("one cut can span two base intervals", () => {
    expect(subtract([h(8, 12), h(13, 17)], [h(11, 14)])).toEqual([h(8, 11), h(14, 17)]);
  });
  it("cuts before and after the base are ignored", () => {
    expect(subtract([h(10, 12)], [h(1, 2), h(20, 21)])).toEqual([h(10, 12)]);
  });
  it("ignores invalid intervals on either side", () => {
    expect(subtract([h(8, 16), h(20, 19)], [h(10, 10), h(11, 9), { start: Number.NaN, end: 12 * H }])).toEqual([h(8, 16)]);
  });
  it("does not change its arguments", () => {
    const from = [h(8, 16)];
    const remove = [h(10, 11)];
    subtract(from, remove);
    expect(from).toEqual([h(8, 16)]);
    expect(remove).toEqual([h(10, 11)]);
  });
});

describe("intersect", () => {
  it("anything intersected with nothing is nothing", () => {
    expect(intersect([], [h(8, 16)])).toEqual([]);
    expect(intersect([h(8, 16)], [])).toEqual([]);
    expect(intersect([], [])).toEqual([]);
  });
  it("touching intervals have no intersection", () => {
    expect(intersect([h(8, 12)], [h(12, 16)])).toEqual([]);
  });
  it("overlapping intervals intersect in their common part", () => {
    expect(intersect([h(8, 12)], [h(10, 14)])).toEqual([h(10, 12)]);
  });
  it("a nested interval is its own intersection", () => {
    expect(intersect([h(8, 16)], [h(10, 11)])).toEqual([h(10, 11)]);
    expect(intersect([h(10, 11)], [h(8, 16)])).toEqual([h(10, 11)]);
  });
  it("works across several intervals on both sides and is symmetric", () => {
    const a = [h(8, 12), h(13, 17), h(20, 22)];
    const b = [h(11, 14), h(16, 21)];
    const expected = [h(11, 12), h(13, 14), h(16, 17), h(20, 21)];
    expect(intersect(a, b)).toEqual(expected);
    expect(intersect(b, a)).toEqual(expected);
  });
  it("one long interval against many short ones", () => {
    expect(intersect([h(0, 24)], [h(9, 10), h(12, 13), h(23, 25)])).toEqual([h(9, 10), h(12, 13), h(23, 24)]);
  });
  it("intervals ending at the same instant are both consumed correctly", () => {
    expect(intersect([h(8, 12), h(14, 16)], [h(10, 12), h(15, 18)])).toEqual([h(10, 12), h(15, 16)]);
  });
  it("merges unsorted and overlapping inputs first", () => {
    expect(intersect([h(12, 16), h(8, 13)], [h(10, 11), h(10, 15)])).toEqual([h(10, 15)]);
  });
  it("ignores invalid intervals", () => {
    expect(intersect([h(8, 16), h(12, 10)], [h(9, 9), { start: 0, end: Number.NaN }, h(15, 17)])).toEqual([h(15, 16)]);
  });
  it("free time = open minus busy-within-open", () => {
    const open = [h(8, 12), h(12, 16)];
    const busy = [h(7, 9), h(11, 13), h(18, 19)];
    const busyInOpen = intersect(merge(busy), open);
    expect(busyInOpen).toEqual([h(8, 9), h(11, 13)]);
    expect(subtract(open, busyInOpen)).toEqual([h(9, 11), h(13, 16)]);
  });
});
