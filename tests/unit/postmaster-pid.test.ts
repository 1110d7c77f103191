import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { postmasterPid } from "../../db/embedded";

describe("postmasterPid", () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(path.join(tmpdir(), "flokk-pid-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("is null without a pid file (a stopped server, or one that removed it just now)", () => {
    expect(postmasterPid(dir())).toBeNull();
  });

  it("is the pid of a running process", () => {
    const d = dir();
    writeFileSync(path.join(d, "postmaster.pid"), `${process.pid}\n/some/dir\n`);
    expect(postmasterPid(d)).toBe(process.pid);
  });

  it("is null for a file left by a process that is gone", () => {
    const d = dir();
    // Above the kernel's pid_max (at most 2^22), so never a live process.
    writeFileSync(path.join(d, "postmaster.pid"), "99999999\n");
    expect(postmasterPid(d)).toBeNull();
  });

  it("does not hide other errors than a missing file", () => {
    const d = dir();
    const unreadable = path.join(d, "postmaster.pid");
    // A directory in place of the file: reading it fails with EISDIR.
    mkdirSync(unreadable);
    expect(() => postmasterPid(d)).toThrow(/EISDIR/);
  });
});
