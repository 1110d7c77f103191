// Errors that reach Express rather than Remix: a path Express cannot decode is
// the client's mistake (400, nothing logged); anything else is ours (500, logged).
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerClientErrors } from "../../scripts/lib/client-errors";

const logged: string[] = [];
let base = "";
let close: () => void = () => {};

beforeAll(async () => {
  const app = express();
  app.use(express.static(import.meta.dirname));
  app.get("/boom", () => {
    throw new Error("our own mistake");
  });
  // As scripts/start.ts hands every path to Remix: Express decodes the "*" parameter first.
  app.all("*", (_req, res) => void res.send("page"));
  app.use(answerClientErrors((m) => logged.push(m)));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe("errors that reach Express", () => {
  it("answers a path that cannot be decoded with 400, and logs nothing", async () => {
    for (const path of ["/feeds/venues/%ff.ics", "/%E0%A4%A", "/assets/%c0"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toBe("Bad Request");
    }
    expect(logged).toEqual([]);
  });

  it("answers its own failure with 500 and logs it, without the stack in the answer", async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("Internal Server Error");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("our own mistake");
  });
});
