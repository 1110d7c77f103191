import { z } from "zod";

// The one place that reads process.env. Everything else receives typed config.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** A PostgreSQL server to use. Without it `npm start` runs an embedded one. */
  DATABASE_URL: z.string().url().optional(),
  /** Where tests create their databases. Without it they start an embedded server. */
  TEST_DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(65535)
    .refine((p) => p !== 5432, "5432 belongs to a system PostgreSQL")
    .default(54329),
  EMBEDDED_PG_DIR: z.string().default(".data/postgres"),
  /**
   * The address people reach Flokk at, for links in e-mail and calendar
   * subscriptions. Default: http://localhost:PORT.
   */
  PUBLIC_URL: z.string().url().optional(),
  /**
   * Signs session and CSRF cookies and keys the hash of sign-in codes.
   * Required in production with DATABASE_URL; without it `npm start` on the
   * embedded database keeps a generated one in .data/session-secret.
   */
  SESSION_SECRET: z.string().min(32, "use at least 32 random characters").optional(),
  /**
   * Behind a load balancer or reverse proxy: how many proxy hops to trust for
   * the client's address (X-Forwarded-For), which rate limits count by.
   * 0 (default): the address of the connection itself.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** An SMTP server (smtp://user:pass@host:port). Without it mail stays in the outbox and the development mailbox shows it. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default("Flokk <noreply@flokk.example>"),
  /** Run the outbox worker inside the web process (false: run `npm run worker` separately). */
  OUTBOX_WORKER: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** How long before a booking its reminder goes out. */
  REMINDER_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(24),
  /** Skip filling an empty database with demo data. */
  SEED_DEMO_DATA: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
});

/**
 * A real deployment: production mode against a configured database server.
 * `npm start` on its embedded demo database also runs a production build, but
 * it is a newcomer's laptop: it may make up a session secret and show the
 * development mailbox, so that signing in works with no setup at all.
 */
export function isDeployment(e: Pick<Env, "NODE_ENV" | "DATABASE_URL">): boolean {
  return e.NODE_ENV === "production" && Boolean(e.DATABASE_URL);
}

/** Rules across variables, checked after each one is valid on its own. */
function crossChecks(e: z.infer<typeof schema>): string[] {
  const problems: string[] = [];
  // A real deployment must not sign sessions with a secret made up on one machine.
  if (isDeployment(e) && !e.SESSION_SECRET) {
    problems.push("  SESSION_SECRET: required in production with DATABASE_URL (at least 32 random characters, e.g. `openssl rand -base64 48`)");
  }
  return problems;
}

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
      throw new Error(`Invalid configuration:\n${problems}`);
    }
    const problems = crossChecks(parsed.data);
    if (problems.length) throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
    cached = parsed.data;
  }
  return cached;
}

/**
 * Where people reach Flokk: PUBLIC_URL, else http://localhost:PORT. Links in
 * mail and feeds are built from this, never from a request's Host header
 * (which a client chooses: a sign-in link must not point at another host).
 * No trailing slash.
 */
export function publicUrl(e: Pick<Env, "PUBLIC_URL" | "PORT"> = env()): string {
  return (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}

/**
 * `npm start` serves a production build: React and Remix must run in production
 * mode unless told otherwise (the same default as remix-serve). Call before the
 * server build is imported and before the first env().
 */
export function defaultToProduction(): void {
  process.env.NODE_ENV ??= "production";
}
