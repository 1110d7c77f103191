// A small stand-in for a browser in route tests: it keeps cookies, sends them
// with each request, gets the CSRF token from the root loader as a page would,
// and calls route modules' loaders and actions with real Request objects —
// what Remix does, without the server. Replies are normalised whether the
// route returned or threw, a plain object, data(…) or a Response.
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { loader as rootLoader } from "../../app/root";

export const ORIGIN = "http://localhost";

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  /** The loader's or action's data, or a thrown Response's JSON body. */
  data: T;
  /** Where a redirect goes. */
  location: string | null;
  /** True when the route threw (an error page or a redirect by requireUser). */
  thrown: boolean;
}

type Loader = (args: LoaderFunctionArgs) => unknown;
type Action = (args: ActionFunctionArgs) => unknown;

interface DataWithInit {
  type: "DataWithResponseInit";
  data: unknown;
  init: ResponseInit | null;
}

function isDataWithInit(value: unknown): value is DataWithInit {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

async function normalise<T>(run: () => unknown): Promise<Reply<T>> {
  let value: unknown;
  let thrown = false;
  try {
    value = await run();
  } catch (e) {
    if (!(e instanceof Response) && !isDataWithInit(e)) throw e;
    value = e;
    thrown = true;
  }
  if (value instanceof Response) {
    const text = await value.text();
    let data: unknown = text;
    if ((value.headers.get("Content-Type") ?? "").includes("json")) data = JSON.parse(text);
    return { status: value.status, headers: value.headers, data: data as T, location: value.headers.get("Location"), thrown };
  }
  if (isDataWithInit(value)) {
    const headers = new Headers(value.init?.headers);
    return { status: value.init?.status ?? 200, headers, data: value.data as T, location: headers.get("Location"), thrown };
  }
  return { status: 200, headers: new Headers(), data: value as T, location: null, thrown };
}

export interface BrowserOptions {
  /** Accept-Language. */
  language?: string;
  /** What the HTTP server would say the client's address is. */
  clientAddress?: string;
}

export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page visited. */
  csrf = "";

  constructor(readonly options: BrowserOptions = {}) {}

  get context(): AppLoadContext {
    return { clientAddress: this.options.clientAddress ?? "192.0.2.10" };
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** Takes Set-Cookie headers as a browser would: a cleared or expired cookie goes. */
  store(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const maxAge = attributes.find((a) => /^max-age=/i.test(a));
      const expires = attributes.find((a) => /^expires=/i.test(a));
      const gone = value === "" || (maxAge && Number(maxAge.split("=")[1]) <= 0) || (expires && new Date(expires.slice(8)).getTime() <= Date.now());
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  request(path: string, init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {}): Request {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader();
    if (cookie) headers.set("Cookie", cookie);
    if (this.options.language && !headers.has("Accept-Language")) headers.set("Accept-Language", this.options.language);
    return new Request(`${ORIGIN}${path}`, { method: init.method ?? "GET", body: init.body, headers });
  }

  /** Opens a page: the root loader (cookies, CSRF token) and the route's loader, as a document request does. */
  async visit<T = unknown>(loader: Loader, path: string, params: Record<string, string> = {}): Promise<Reply<T>> {
    const root = await normalise<{ csrf: string; user: { name: string; email: string } | null; lang: string }>(() =>
      rootLoader({ request: this.request(path), params: {}, context: this.context }),
    );
    this.store(root.headers);
    this.csrf = root.data.csrf;
    const reply = await normalise<T>(() => loader({ request: this.request(path), params, context: this.context }));
    this.store(reply.headers);
    return reply;
  }

  /** Who the header says is signed in. */
  async whoAmI(): Promise<string | null> {
    const root = await normalise<{ user: { email: string } | null }>(() => rootLoader({ request: this.request("/"), params: {}, context: this.context }));
    this.store(root.headers);
    return root.data.user?.email ?? null;
  }

  /**
   * Sends a form as a same-origin POST with the current CSRF token (pass
   * `csrf: null` to leave it out, or a string to send that instead).
   */
  async submit<T = unknown>(
    action: Action,
    path: string,
    fields: Record<string, string | number | readonly string[]>,
    options: { params?: Record<string, string>; csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const body = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token !== null) body.set("csrf", token);
    // An array is a repeated name, as ticked checkboxes send it.
    for (const [k, v] of Object.entries(fields)) {
      if (Array.isArray(v)) for (const x of v) body.append(k, x);
      else body.set(k, String(v));
    }
    const request = this.request(path, {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: ORIGIN,
        "Sec-Fetch-Site": "same-origin",
        ...options.headers,
      },
    });
    const reply = await normalise<T>(() => action({ request, params: options.params ?? {}, context: this.context }));
    this.store(reply.headers);
    return reply;
  }
}

/** Calls a loader or action as is, normalising what comes back. */
export function call<T = unknown>(run: () => unknown): Promise<Reply<T>> {
  return normalise<T>(run);
}
