// Runs the real server — scripts/start.ts, as `npm start` does after its build —
// in a child process on a free port, for the browser tests and the HTTP
// benchmark. The caller names the database; the child migrates it, seeds it when
// empty (unless told not to) and serves build/.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface AppProcessOptions {
  databaseUrl: string;
  /** At least 32 characters; the caller keeps it to sign cookies of its own. */
  sessionSecret: string;
  /** development (default: the development mailbox exists without SMTP_URL) or production. */
  nodeEnv?: "development" | "production";
  seedDemoData?: boolean;
  /** Extra variables for the child, e.g. TRUST_PROXY. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface AppProcess {
  /** http://127.0.0.1:PORT, also the child's PUBLIC_URL. */
  url: string;
  port: number;
  pid: number;
  /** Everything the child printed so far (for failure messages). */
  output(): string;
  /** SIGTERM (the start script shuts down in order), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/** The environment of the child: ours, less what would point it elsewhere or send mail. */
function childEnv(port: number, options: AppProcessOptions): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("VITEST") || k === "SMTP_URL" || k === "PUBLIC_URL") continue;
    env[k] = v;
  }
  return {
    ...env,
    NODE_ENV: options.nodeEnv ?? "development",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: options.databaseUrl,
    SESSION_SECRET: options.sessionSecret,
    SEED_DEMO_DATA: String(options.seedDemoData ?? true),
    OUTBOX_WORKER: "false",
    ...options.env,
  };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/start.ts")], {
    cwd: ROOT,
    env: childEnv(port, options),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  // Should the parent die without stopping us, take the server along.
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);

  const stop = async () => {
    process.off("exit", onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited(child);
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The Flokk server exited (${child.exitCode ?? child.signalCode}) before it answered:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The Flokk server did not answer ${url}/healthz in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, pid: child.pid!, output: () => output, stop };
}
