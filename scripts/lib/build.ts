// The production build (`remix vite:build` → build/) for the browser tests and
// the HTTP benchmark: reused when nothing it is made from changed since it was
// built, else rebuilt, one process at a time.
//
// "Changed since" is judged by a stamp written beside the build: the newest
// modification time among the sources when the build started. An edit made
// while a build runs is therefore newer than the stamp and triggers the next
// build, which a comparison with build/server/index.js's own time would miss.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const BUILD_DIR = path.join(ROOT, "build");
const STAMP = path.join(BUILD_DIR, ".sources-mtime");
const LOCK = path.join(ROOT, ".cache", "build.lock");
/** What the build is made of: the app, its static files and the configuration that shapes it. */
const SOURCES = ["app", "public", "vite.config.ts", "tsconfig.json", "package.json", "package-lock.json"];

async function newestMtime(p: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(p);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // a deleted file changes its folder's time
  for (const entry of await readdir(p)) newest = Math.max(newest, await newestMtime(path.join(p, entry)));
  return newest;
}

async function sourcesMtime(): Promise<number> {
  let newest = 0;
  for (const s of SOURCES) newest = Math.max(newest, await newestMtime(path.join(ROOT, s)));
  return newest;
}

async function isFresh(): Promise<boolean> {
  if (!existsSync(path.join(BUILD_DIR, "server/index.js")) || !existsSync(path.join(BUILD_DIR, "client/assets"))) return false;
  try {
    const stamp = Number(await readFile(STAMP, "utf8"));
    return Number.isFinite(stamp) && (await sourcesMtime()) <= stamp;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A lock folder holding the owner's pid; one left by a process that died is taken over. */
async function withLock<T>(fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  await mkdir(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(LOCK);
      await writeFile(path.join(LOCK, "pid"), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(await readFile(path.join(LOCK, "pid"), "utf8").catch(() => ""));
      const { mtimeMs } = await stat(LOCK).catch(() => ({ mtimeMs: Date.now() }));
      // No pid yet: the owner is between mkdir and writeFile, unless that was long ago.
      const abandoned = owner ? !alive(owner) : Date.now() - mtimeMs > 10_000;
      if (abandoned) await rm(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000}s for another build (${LOCK}); remove it if no build runs`);
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

function runBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    // NODE_ENV=production whatever the caller runs under (vitest sets "test"): the
    // client bundle must be React's production build, as `npm start` serves it.
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`remix vite:build failed (exit ${code}):\n${output}`))));
  });
}

/**
 * Makes sure build/ holds a production build of the current sources; returns
 * whether it had to build. Safe to call from several processes at once.
 */
export async function ensureBuild(log: (line: string) => void = () => {}): Promise<"reused" | "built"> {
  if (await isFresh()) return "reused";
  return withLock(async () => {
    if (await isFresh()) return "reused"; // another process built it while we waited
    const started = await sourcesMtime();
    const t0 = performance.now();
    log("Building the app (remix vite:build)…");
    await runBuild();
    await writeFile(STAMP, String(started));
    log(`Built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return "built";
  });
}
