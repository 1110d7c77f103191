// After a form is sent with JavaScript, Remix reads the page's data again only
// when the action answered 2xx or 3xx: after a 4xx it keeps what it showed.
// A refusal often means the page is out of date (someone else decided,
// cancelled or removed meanwhile), so pages whose forms act on shared things
// read again after every POST; without JavaScript the whole page is new anyway.
import type { ShouldRevalidateFunction } from "@remix-run/react";

/** A route's `shouldRevalidate`: also after a refused POST. */
export const revalidateAfterPost: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) => formMethod === "POST" || defaultShouldRevalidate;
