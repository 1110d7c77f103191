// The pieces of sign-in that need no database: codes, the session secret's
// file, and the refusal to start production without a secret.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadOrCreateSecretFile } from "../../app/accounts/secret.server";
import { CODE_ALPHABET, CODE_LENGTH, displayCode, newCode, normaliseCode, randomToken } from "../../app/accounts/secrets.server";

describe("sign-in codes", () => {
  it("are 8 characters from an alphabet without look-alikes", () => {
    for (const c of "01OIL") expect(CODE_ALPHABET).not.toContain(c);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newCode();
      expect(code).toHaveLength(CODE_LENGTH);
      for (const c of code) seen.add(c);
    }
    // Every character of the alphabet turns up: nothing is left out by an off-by-one.
    expect([...seen].sort().join("")).toBe([...CODE_ALPHABET].sort().join(""));
    expect(displayCode("ABCDEFGH")).toBe("ABCD-EFGH");
  });

  it("are read as typed, forgiving case, spaces and the dash, but nothing else", () => {
    expect(normaliseCode("abcd-efgh")).toBe("ABCDEFGH");
    expect(normaliseCode(" AB CD EF GH ")).toBe("ABCDEFGH");
    expect(normaliseCode("ABCD-EFG")).toBeNull();
    expect(normaliseCode("ABCD-EFGHJ")).toBeNull();
    expect(normaliseCode("ABCD-EFG0")).toBeNull();
    expect(normaliseCode("ABCD-EFGI")).toBeNull();
  });

  it("link tokens carry 256 random bits and never repeat", () => {
    const tokens = new Set(Array.from({ length: 1000 }, randomToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(Buffer.from(token, "base64url")).toHaveLength(32);
  });
});

describe("the generated session secret", () => {
  it("is made once, readable by its owner only, and the same for processes starting together", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "flokk-secret-"));
    const file = path.join(dir, "nested", "session-secret");
    const secrets = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateSecretFile(file)));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]!.length).toBeGreaterThanOrEqual(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, "utf8")).trim()).toBe(secrets[0]);
    expect(await loadOrCreateSecretFile(file)).toBe(secrets[0]);
  });
});

describe("starting in production", () => {
  it("refuses without SESSION_SECRET when DATABASE_URL is set, saying what to do", async () => {
    const { SESSION_SECRET: _, ...rest } = process.env;
    const run = promisify(execFile);
    const result = await run(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
      env: { ...rest, NODE_ENV: "production", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((result as { code: number }).code).toBe(1);
    expect((result as { stderr: string }).stderr).toContain("SESSION_SECRET: required in production with DATABASE_URL");
    expect((result as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
