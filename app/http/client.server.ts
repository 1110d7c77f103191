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

/** Whether the request came from this machine (127.0.0.0/8 or ::1, also IPv4-mapped); not when the server did not say. */
export function isLoopbackClient(context: AppLoadContext | undefined): boolean {
  const address = clientAddress(context).toLowerCase();
  return address === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/**
 * The key a per-client rate limit counts by. One IPv6 client usually holds a
 * whole /64 and can pick a new address for every request, so IPv6 counts by
 * its /64 prefix; IPv4 (also IPv4-mapped IPv6) by the address.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(":")) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
