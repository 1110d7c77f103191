import { describe, expect, it } from "vitest";
import { ContextCache } from "../../app/booking/context-cache.server";

describe("ContextCache", () => {
  it("gives a kept value only for dates inside its window", () => {
    const c = new ContextCache<string>(() => 0);
    c.set("v1", "ctx", "2026-09-01", "2027-09-01");
    expect(c.get("v1", "2026-09-09", "2026-09-11")).toBe("ctx");
    expect(c.get("v1", "2026-08-31", "2026-09-02")).toBeNull();
    // A miss outside the window drops the entry: the next read replaces it.
    expect(c.get("v1", "2026-09-09", "2026-09-11")).toBeNull();
    expect(c.get("other", "2026-09-09", "2026-09-11")).toBeNull();
  });

  it("forgets a value after a minute, and on request", () => {
    let now = 0;
    const c = new ContextCache<string>(() => now);
    c.set("a", "x", "2026-01-01", "2026-12-31");
    c.set("b", "y", "2026-01-01", "2026-12-31");
    c.forget("b");
    expect(c.get("b", "2026-05-01", "2026-05-02")).toBeNull();
    now = 59_999;
    expect(c.get("a", "2026-05-01", "2026-05-02")).toBe("x");
    now = 60_000;
    expect(c.get("a", "2026-05-01", "2026-05-02")).toBeNull();
    expect(c.size).toBe(0);
  });

  it("holds at most 5,000 entries, dropping the least recently used", () => {
    const c = new ContextCache<number>(() => 0);
    for (let i = 0; i < 5_000; i++) c.set(`v${i}`, i, "2026-01-01", "2026-12-31");
    expect(c.get("v0", "2026-05-01", "2026-05-02")).toBe(0); // now the most recently used
    c.set("new", -1, "2026-01-01", "2026-12-31");
    expect(c.size).toBe(5_000);
    expect(c.get("v1", "2026-05-01", "2026-05-02")).toBeNull();
    expect(c.get("v0", "2026-05-01", "2026-05-02")).toBe(0);
    expect(c.get("new", "2026-05-01", "2026-05-02")).toBe(-1);
  });
});
