// The per-request CSP nonce, from entry.server.tsx down to <Scripts> and
// <ScrollRestoration>. In the browser it is empty: the inline scripts have run.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
