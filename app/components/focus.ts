// Where keyboard focus goes after a form sent with JavaScript. Without it the
// browser loads a whole new page and starts from its top; with it Remix only
// re-renders, and when the button that was pressed disappears with its row (a
// removed member, a revoked link) focus falls to <body> and a keyboard or
// screen-reader user is lost. These move focus to what the reply says.
import { type RefObject, useEffect, useRef, useSyncExternalStore } from "react";
import { useLocation } from "@remix-run/react";

const noSubscription = () => () => {};

/**
 * False while rendering on the server and hydrating, true afterwards: whether
 * JavaScript runs the page, so that what is only right with it (a message that
 * takes focus instead of being announced) is rendered only then.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * A ref whose element takes focus each time `reply` becomes a new value that
 * is not null or undefined: pass the action's data (useActionData), which is a
 * new object for each submission. Give the element tabIndex={-1}.
 */
export function useFocusOnReply<T extends HTMLElement>(reply: unknown): RefObject<T> {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (reply !== undefined && reply !== null) ref.current?.focus();
  }, [reply]);
  return ref;
}

/** What a link's `state` carries to say which element on the page it leads back to. */
export interface FocusState {
  focus: string;
}

/**
 * On a page reached by a link with state {focus: id} (a confirmation's
 * "Cancel"), focus goes back to that element, the button that asked for the
 * confirmation. Only with JavaScript: without it the link loads the page.
 */
export function useFocusFromLinkState(): void {
  const location = useLocation();
  useEffect(() => {
    const id = (location.state as Partial<FocusState> | null)?.focus;
    if (typeof id !== "string") return;
    document.getElementById(id)?.focus();
    // Once: the state stays in the browser's history, and a reload or Back
    // to this entry would move focus to that button again.
    const entry = window.history.state;
    if (entry?.usr) window.history.replaceState({ ...entry, usr: null }, "");
  }, [location]);
}
