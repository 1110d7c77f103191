// The embedded PostgreSQL of `npm start`: a data folder made here gets a
// password of its own, kept beside it where only its owner can read it; the
// fixed word every install once shared does not open it.
import { existsSync, statSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../db/embedded";
import { freePort } from "../../scripts/lib/app-process";

const parent = await mkdtemp(path.join(tmpdir(), "flokk-embedded-"));
await chmod(parent, 0o755); // the server may run as another user (postgres, when we are root)
afterAll(() => rm(parent, { recursive: true, force: true }));

async function canSignIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return (await client.query("SELECT 1 AS ok")).rows[0]?.ok === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

describe("the embedded PostgreSQL", () => {
  it("makes a password for a new data folder, keeps it beside the folder (0600), and refuses the old fixed one", async () => {
    const dataDir = path.join(parent, "postgres");
    const port = await freePort();
    const server = await startEmbeddedPostgres({ dataDir, port, durable: false, persistent: true });
    try {
      const file = `${dataDir}.password`;
      const password = (await readFile(file, "utf8")).trim();
      expect(password).toMatch(/^[\w-]{32}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(server.url("postgres")).toContain(encodeURIComponent(password));
      expect(await canSignIn(server.url("postgres"))).toBe(true);
      expect(await canSignIn(`postgres://postgres:flokk-local@127.0.0.1:${port}/postgres`)).toBe(false);
    } finally {
      await server.stop();
    }
    // The same folder starts again with the same password.
    const again = await startEmbeddedPostgres({ dataDir, port, durable: false, persistent: true });
    try {
      expect(await canSignIn(again.url("postgres"))).toBe(true);
    } finally {
      await again.stop();
    }
    expect(existsSync(`${dataDir}.password`)).toBe(true);
  });

  it("gives a data folder from before (the one fixed word) a password of its own, and refuses one whose file is lost with what to do", async () => {
    const dataDir = path.join(parent, "older");
    const port = await freePort();
    const file = `${dataDir}.password`;
    // A folder as an earlier Flokk left it: the fixed word, and no file beside it.
    const made = await startEmbeddedPostgres({ dataDir, port, durable: false, persistent: true });
    const client = new pg.Client({ connectionString: made.url("postgres") });
    await client.connect();
    await client.query("ALTER ROLE postgres PASSWORD 'flokk-local'");
    await client.end();
    await made.stop();
    await rm(file);

    const again = await startEmbeddedPostgres({ dataDir, port, durable: false, persistent: true });
    try {
      const password = (await readFile(file, "utf8")).trim();
      expect(password).not.toBe("flokk-local");
      expect(await canSignIn(again.url("postgres"))).toBe(true);
      expect(await canSignIn(`postgres://postgres:flokk-local@127.0.0.1:${port}/postgres`)).toBe(false);
    } finally {
      await again.stop();
    }

    await rm(file);
    await expect(startEmbeddedPostgres({ dataDir, port, durable: false, persistent: true })).rejects.toThrow(/which is missing: put it back, or delete/);
  });
});
