// `npm run dev`: like `npm start`, but the app is served by Vite with hot
// reload instead of from build/. Same database handling and demo data.
import { createServer } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { createServer as createViteServer } from "vite";
import { env } from "../app/config/env.server";
import { prepareSessionSecret } from "../app/accounts/secret.server";
import { closeDb, configureDatabase, getDb } from "../app/db.server";
import { startConfiguredWorker } from "../app/notifications/worker.server";
import { migrateToLatest } from "../db/migrate";
import { seedDemoData } from "../db/seed";
import { answerClientErrors } from "./lib/client-errors";
import { refuseCrossSiteWrites } from "./lib/cross-site";
import { resolveDatabase } from "./lib/database";

const config = env();
const database = await resolveDatabase();
configureDatabase(database.url);
await migrateToLatest(getDb());
if (config.SEED_DEMO_DATA && (await seedDemoData(getDb(), new Date()))) console.log("Added demo data");

await prepareSessionSecret();

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", config.TRUST_PROXY);
const server = createServer(app);
// Hot reload over this server's own port, which the page's CSP (connect-src 'self') allows.
const vite = await createViteServer({
  server: { middlewareMode: true, hmr: { server } },
  // Known up front, so the first page load does not re-optimise and load React twice.
  optimizeDeps: { include: ["@digdir/designsystemet-react", "react", "react-dom/client", "@remix-run/react"] },
});
app.use(vite.middlewares);
app.use(refuseCrossSiteWrites());
app.all(
  "*",
  createRequestHandler({
    build: () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
    mode: "development",
    getLoadContext: (req) => ({ clientAddress: req.ip }),
  }),
);
app.use(answerClientErrors());
server.listen(config.PORT, () => console.log(`Flokk (dev) is running at http://localhost:${config.PORT}`));
const worker = config.OUTBOX_WORKER ? startConfiguredWorker(getDb(), config) : null;

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close();
    await vite.close();
    await worker?.stop();
    await closeDb();
    await database.stop();
    process.exit(0);
  });
}
