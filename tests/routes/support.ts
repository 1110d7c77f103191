// Calling Remix loaders directly, as Remix would, without a server.
import type { LoaderFunctionArgs } from "@remix-run/node";

export function loaderArgs(path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}): LoaderFunctionArgs {
  return { request: new Request(`http://localhost${path}`, { headers }), params, context: {} };
}

/** The Response a loader threw (Remix turns it into the error page), or a failure if it did not throw one. */
export async function thrownResponse(run: () => Promise<unknown>): Promise<Response> {
  try {
    await run();
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
  throw new Error("expected the loader to throw a Response");
}
