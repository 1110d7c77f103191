// Which PostgreSQL the command-line entry points use: DATABASE_URL when set
// (we start nothing), else the embedded server in EMBEDDED_PG_DIR, with a
// database "flokk" made on first use.
import pg from "pg";
import { env } from "../../app/config/env.server";
import { startEmbeddedPostgres } from "../../db/embedded";

export interface ResolvedDatabase {
  url: string;
  /** Where it is, for the log: never the password. */
  description: string;
  /** Stops the embedded server; a no-op for DATABASE_URL. */
  stop: () => Promise<void>;
}

export interface EmbeddedChoice {
  /** Embedded server's data folder and port; default EMBEDDED_PG_DIR and EMBEDDED_PG_PORT. */
  dataDir?: string;
  port?: number;
  /** The database on the embedded server; made on first use. */
  database?: string;
}

export async function resolveDatabase(choice: EmbeddedChoice = {}): Promise<ResolvedDatabase> {
  const config = env();
  if (config.DATABASE_URL) {
    const u = new URL(config.DATABASE_URL);
    return { url: config.DATABASE_URL, description: `${u.hostname}:${u.port || 5432}${u.pathname}`, stop: async () => {} };
  }
  const dataDir = choice.dataDir ?? config.EMBEDDED_PG_DIR;
  const port = choice.port ?? config.EMBEDDED_PG_PORT;
  const database = choice.database ?? "flokk";
  const server = await startEmbeddedPostgres({ dataDir, port, durable: true, persistent: true });
  try {
    await createDatabaseIfMissing(server.url("postgres"), database);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    url: server.url(database),
    description: `embedded PostgreSQL on 127.0.0.1:${port}, data in ${dataDir}`,
    stop: server.stop,
  };
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
