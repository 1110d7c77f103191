// Half-open intervals [start, end) of instants in epoch milliseconds. Pure
// functions: no clock, no zone, no I/O.

export interface Interval {
  start: number;
  end: number;
}

export const MINUTE = 60_000;

export function isValidInterval(i: Interval): boolean {
  return Number.isFinite(i.start) && Number.isFinite(i.end) && i.end > i.start;
}

/** [10,11) and [11,12) touch but do not overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

export function contains(outer: Interval, inner: Interval): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** The time a booking holds: its own span plus the cleaning buffer after it. */
export function withBuffer(i: Interval, bufferMinutes: number): Interval {
  return { start: i.start, end: i.end + bufferMinutes * MINUTE };
}

export function durationMinutes(i: Interval): number {
  return (i.end - i.start) / MINUTE;
}

/** Sorts and joins overlapping or touching intervals. */
export function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter(isValidInterval).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** What is left of `from` after taking away every interval in `remove`. */
export function subtract(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const cuts = merge(remove);
  const out: Interval[] = [];
  for (const base of merge(from)) {
    let cursor = base.start;
    for (const c of cuts) {
      if (c.end <= cursor) continue;
      if (c.start >= base.end) break;
      if (c.start > cursor) out.push({ start: cursor, end: c.start });
      cursor = Math.max(cursor, c.end);
      if (cursor >= base.end) break;
    }
    if (cursor < base.end) out.push({ start: cursor, end: base.end });
  }
  return out;
}

export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  const ma = merge(a);
  const mb = merge(b);
  let i = 0;
  let j = 0;
  while (i < ma.length && j < mb.length) {
    const x = ma[i]!;
    const y = mb[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}
