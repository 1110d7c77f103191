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
