// The session secret: signs the session, CSRF and pending-sign-in cookies and
// keys the hash of sign-in codes.
//
// SESSION_SECRET wins. Without it (allowed everywhere except production with
// DATABASE_URL, which env() refuses), the command-line entry points keep a
// generated secret in a file beside the embedded database's folder, so that
// `npm start` needs no setup and sessions survive a restart. Tests get a
// random secret per process.
//
// The slot lives on globalThis for the same reason as the database's
// (app/db.server.ts): the start script and the built server bundle each load
// their own copy of this module.
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile } from "node:fs/promises";
import path from "node:path";
import { env } from "~/config/env.server";

const KEY = Symbol.for("flokk.session.secret");
const holder = globalThis as { [KEY]?: string };

/** Where `npm start` keeps a generated secret: `.data/session-secret` by default. */
export function secretFilePath(): string {
  return path.join(path.dirname(path.resolve(env().EMBEDDED_PG_DIR)), "session-secret");
}

/** Reads the file, or makes it (mode 0600) with a new random secret; two processes starting together agree. */
export async function loadOrCreateSecretFile(file: string): Promise<string> {
  try {
    return await readSecret(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  try {
    // "wx": only if nobody else made it meanwhile.
    const handle = await open(file, "wx", 0o600);
    try {
      await handle.writeFile(`${secret}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return readSecret(file);
  }
}

async function readSecret(file: string): Promise<string> {
  const secret = (await readFile(file, "utf8")).trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret (at least 32 characters); delete it to get a new one`);
  return secret;
}

/**
 * Called once by `npm start` / `npm run dev` before serving: SESSION_SECRET, or
 * the generated one from the file. Returns where it came from, for the log
 * (never the secret itself).
 */
export async function prepareSessionSecret(): Promise<string> {
  const configured = env().SESSION_SECRET;
  if (configured) {
    holder[KEY] = configured;
    return "SESSION_SECRET";
  }
  const file = secretFilePath();
  holder[KEY] = await loadOrCreateSecretFile(file);
  return file;
}

export function sessionSecret(): string {
  const configured = env().SESSION_SECRET;
  if (configured) return configured;
  if (holder[KEY]) return holder[KEY];
  if (env().NODE_ENV === "test") {
    holder[KEY] = randomBytes(48).toString("base64url");
    return holder[KEY];
  }
  throw new Error("No session secret: set SESSION_SECRET, or start the app with `npm start` / `npm run dev`");
}
