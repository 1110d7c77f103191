// Who is asking, as far as the server can tell: the client's address, handed
// in by the HTTP server (scripts/start.ts) as load context. Rate limits count
// by it.
import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's IP address (Express's req.ip, which honours TRUST_PROXY). */
    clientAddress?: string;
  }
}

/** The client's address, or "unknown" where the server did not say (the Vite dev server). */
export function clientAddress(context: AppLoadContext | undefined): string {
  const address = context?.clientAddress;
  return typeof address === "string" && address.length > 0 && address.length <= 64 ? address : "unknown";
}
