// The form an action's requireValidForm read, kept with its request for
// requireUser: when the session ended while the page was open (it expired, or
// the person signed out everywhere from another device), the token still
// matches and the action would meet the sign-in redirect, losing what was
// typed; requireUser sends the form back instead (session.server.ts).
// A WeakMap: the entry goes with the request.
const posted = new WeakMap<Request, FormData>();

export function keepPostedForm(request: Request, form: FormData): void {
  posted.set(request, form);
}

export function postedForm(request: Request): FormData | undefined {
  return posted.get(request);
}
