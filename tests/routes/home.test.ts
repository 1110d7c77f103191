import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideDatabase } from "../../app/db.server";
import { loader } from "../../app/routes/_index";
import { seedDemoData } from "../../db/seed";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { loaderArgs } from "./support";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  await seedDemoData(t.db, new Date("2026-11-26T13:00:00Z"));
});
afterAll(() => dropTestDb(t));

describe("home page loader", () => {
  it("lists the venues by site, each whole venue before its parts", async () => {
    const { sites } = await loader(loaderArgs("/"));
    expect(sites.map((s) => s.name)).toEqual(["Løvstad grendehus", "Løvstad skole", "Løvstadhallen"]);
    expect(sites.flatMap((s) => s.venues)).toHaveLength(8);
    const school = sites.find((s) => s.name === "Løvstad skole")!;
    const names = school.venues.map((v) => v.name);
    expect(names.indexOf("Storsalen")).toBe(names.indexOf("Storsalen A (mot scenen)") - 1);
    const part = school.venues.find((v) => v.slug === "storsalen-b")!;
    expect(part).toMatchObject({ parentName: "Storsalen", kind: "sports-hall", capacity: 150, stepFree: true });
    expect(school.venues.find((v) => v.slug === "musikkrommet")!.stepFree).toBe(false);
  });

  it("leaves out archived venues", async () => {
    await t.db.updateTable("venues").set({ archived_at: new Date() }).where("slug", "=", "lillesalen").execute();
    const { sites } = await loader(loaderArgs("/"));
    expect(sites.flatMap((s) => s.venues.map((v) => v.slug))).not.toContain("lillesalen");
  });
});
