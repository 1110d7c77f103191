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
   * Signs session and CSRF cookies. Required in production; elsewhere a fixed
   * development value is used so that `npm start` needs no setup.
   */
  SESSION_SECRET: z.string().min(32, "use at least 32 random characters").optional(),
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

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
      throw new Error(`Invalid configuration:\n${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/**
 * `npm start` serves a production build: React and Remix must run in production
 * mode unless told otherwise (the same default as remix-serve). Call before the
 * server build is imported and before the first env().
 */
export function defaultToProduction(): void {
  process.env.NODE_ENV ??= "production";
}
