// The coalescer alone: a lone call goes out at once, calls made while one is
// in flight go together next (at most MAX_BATCH), each gets its own outcome.
import { describe, expect, it } from "vitest";
import { Coalescer, MAX_BATCH, type Outcome } from "../../app/booking/coalesce.server";

function recorder(fail?: (n: number) => boolean) {
  const batches: number[][] = [];
  const c = new Coalescer<number, number>(async (inputs) => {
    batches.push(inputs);
    await new Promise((r) => setTimeout(r, 5));
    return inputs.map((n): Outcome<number> => (fail?.(n) ? { ok: false, error: new Error(`no ${n}`) } : { ok: true, value: n * 2 }));
  });
  return { c, batches };
}

describe("Coalescer", () => {
  it("sends a lone call by itself", async () => {
    const { c, batches } = recorder();
    expect(await c.call(4)).toBe(8);
    expect(batches).toEqual([[4]]);
  });

  it("gathers calls made together, and those made while a batch is in flight", async () => {
    const { c, batches } = recorder();
    const first = [c.call(1), c.call(2)];
    await new Promise((r) => setTimeout(r, 1));
    const later = [c.call(3), c.call(4), c.call(5)];
    expect(await Promise.all([...first, ...later])).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it(`never puts more than ${MAX_BATCH} calls in one batch`, async () => {
    const { c, batches } = recorder();
    const n = MAX_BATCH * 2 + 3;
    const out = await Promise.all(Array.from({ length: n }, (_, i) => c.call(i)));
    expect(out).toEqual(Array.from({ length: n }, (_, i) => i * 2));
    expect(batches.map((b) => b.length)).toEqual([MAX_BATCH, MAX_BATCH, 3]);
  });

  it("fails only the calls whose outcome is an error", async () => {
    const { c } = recorder((n) => n === 2);
    const results = await Promise.allSettled([1, 2, 3].map((n) => c.call(n)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe("no 2");
  });

  it("fails every call of a batch whose statement failed, and keeps working", async () => {
    let broken = true;
    const c = new Coalescer<number, number>(async (inputs) => {
      if (broken) throw new Error("connection lost");
      return inputs.map((n) => ({ ok: true, value: n }));
    });
    const results = await Promise.allSettled([c.call(1), c.call(2)]);
    expect(results.every((r) => r.status === "rejected" && r.reason.message === "connection lost")).toBe(true);
    broken = false;
    expect(await c.call(3)).toBe(3);
  });
});
