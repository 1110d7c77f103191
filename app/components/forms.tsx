// Building blocks for forms that work without JavaScript: a POST form that
// carries the CSRF token, text fields with their label, hint and error tied
// together for screen readers, and the message above a form.
import type { ReactNode } from "react";
import { Form, type FormProps, useRouteLoaderData } from "@remix-run/react";
import type { FormReply } from "~/forms/form.server";
import { useFocusOnReply, useHydrated } from "./focus";
import type { loader as rootLoader } from "~/root";

/**
 * What a refused form said when no item on the page shows it (decided or gone
 * meanwhile, or the form's id was changed): its message, for the top of the
 * page instead of nowhere. Null when `shown` (the item shows its own).
 */
export function strayMessage(reply: FormReply | undefined, shown: (reply: FormReply) => boolean): string | null {
  if (!reply || shown(reply)) return null;
  return reply.formError ?? Object.values(reply.fieldErrors)[0] ?? null;
}

/** The hidden CSRF field every POST form needs (app/accounts/csrf.server.ts checks it). */
export function CsrfField() {
  const root = useRouteLoaderData<typeof rootLoader>("root");
  return <input type="hidden" name="csrf" value={root?.csrf ?? ""} />;
}

/** A plain <form method="post"> (Remix's <Form>), with the CSRF token. */
export function PostForm({ children, ...props }: Omit<FormProps, "method"> & { children: ReactNode }) {
  return (
    <Form method="post" {...props}>
      <CsrfField />
      {children}
    </Form>
  );
}

/** The form's name for `intent`, so that a page with several forms knows which one was sent. */
export function IntentField({ intent }: { intent: string }) {
  return <input type="hidden" name="intent" value={intent} />;
}

export interface TextFieldProps {
  /** Unique on the page; also the input's id unless `id` is given. */
  name: string;
  id?: string;
  label: string;
  hint?: string;
  error?: string;
  type?: "text" | "email" | "tel";
  defaultValue?: string;
  autoComplete?: string;
  required?: boolean;
  inputMode?: "text" | "numeric" | "email";
  maxLength?: number;
  spellCheck?: boolean;
  autoCapitalize?: "off" | "characters" | "none" | "sentences" | "words";
}

/** Label, optional hint, the input, and the error beside it (announced with the field). */
export function TextField({ name, id = name, label, hint, error, type = "text", ...input }: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="form-field">
      <label htmlFor={id} className="ds-label">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="ds-paragraph form-field__hint" data-size="sm">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        type={type}
        className="ds-input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {error && (
        <p id={errorId} className="ds-validation-message" data-field="validation" data-color="danger">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A problem with the whole form, or a confirmation: an alert above it.
 *
 * `focusFor`: the reply (useActionData) this message answers. With JavaScript
 * the message then takes focus on each new reply, for when the pressed button
 * is gone (its row removed); it is read out because it has focus, so it is no
 * live region too, which would say it twice. Without JavaScript the page is
 * new and the message is an ordinary alert or status.
 */
export function FormMessage({ children, kind = "danger", focusFor }: { children: ReactNode; kind?: "danger" | "success" | "info" | "warning"; focusFor?: unknown }) {
  const takesFocus = useHydrated() && focusFor !== undefined && focusFor !== null;
  const ref = useFocusOnReply<HTMLDivElement>(takesFocus ? focusFor : null);
  return (
    <div ref={ref} className="ds-alert" data-color={kind} role={takesFocus ? undefined : kind === "danger" ? "alert" : "status"} tabIndex={takesFocus ? -1 : undefined}>
      {children}
    </div>
  );
}
