// The top of a page that belongs under another: the way back, then the page's
// one heading. The arrow is decoration; the link's text says where it goes.
// And what such a page says when there is nothing left to do there.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { Link } from "@remix-run/react";
import type { RestStanding } from "~/booking/series-rest";
import { useT } from "~/i18n/react";
import { FormMessage } from "./forms";

export function BackAndHeading({ to, back, heading }: { to: string; back: string; heading: string }) {
  return (
    <>
      <Paragraph data-size="sm">
        <Link to={to} className="ds-link">
          <span aria-hidden="true">← </span>
          {back}
        </Link>
      </Paragraph>
      <Heading level={1} data-size="lg">
        {heading}
      </Heading>
    </>
  );
}

/**
 * What a page that changes a booking says when there is nothing to change:
 * it is over (still pending or confirmed), or it is rejected or cancelled.
 * `verb` picks the words: "cancel.ended" / "cancel.notActive", "move.…".
 * `rest`: cancelling this date and the later ones of a series, whose state
 * (not the chosen date's own) is what is said.
 */
export function NothingToDo({
  booking: b,
  verb,
  rest,
  focusFor,
}: {
  booking: { id: string; status: string; statusText: string };
  verb: "cancel" | "move";
  rest?: RestStanding | null;
  /** The refused reply (useActionData) that led here: with JavaScript the pressed button is gone with its form, so the message takes focus. */
  focusFor?: unknown;
}) {
  const t = useT();
  const over = b.status === "pending" || b.status === "confirmed";
  const said = rest
    ? t("cancel.notActiveRest", { status: t(`status.${rest}`) })
    : over
      ? t(`${verb}.ended`)
      : t(`${verb}.notActive`, { status: b.statusText.toLocaleLowerCase() });
  return (
    <>
      <FormMessage kind="info" focusFor={focusFor}>
        {said}
      </FormMessage>
      <Paragraph>
        <Link to={`/bookings/${b.id}`} className="ds-link">
          {t("cancel.back")}
        </Link>
      </Paragraph>
    </>
  );
}
