// "Subscribe to the calendar": the venue's public feed as a webcal:// link that
// opens the calendar app, the https:// address to paste, and how to do it in
// the three calendars most people use.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import type { FeedLinks } from "~/calendar/links";
import { useT } from "~/i18n/react";

export function CalendarSubscribe({ links, venueName }: { links: FeedLinks; venueName: string }) {
  const t = useT();
  return (
    <section aria-labelledby="calendar-subscribe-heading" className="calendar-subscribe">
      <Heading level={2} data-size="xs" id="calendar-subscribe-heading">
        {t("calendar.heading")}
      </Heading>
      <Paragraph data-size="sm">{t("calendar.intro", { venue: venueName })}</Paragraph>
      <Paragraph>
        <a href={links.webcal} className="ds-link">
          {t("calendar.webcal")}
        </a>
      </Paragraph>
      <Paragraph data-size="sm">
        {t("calendar.https")}:{" "}
        <a href={links.https} className="ds-link">
          {links.https}
        </a>
        <br />
        {t("calendar.copyHint")}
      </Paragraph>
      <CalendarHowTo />
    </section>
  );
}

/** How to subscribe in Google Calendar, Outlook and Apple Calendar (folded; `open` for a link just made). */
export function CalendarHowTo({ open = false }: { open?: boolean }) {
  const t = useT();
  return (
    <details open={open}>
      <summary>{t("calendar.howTo")}</summary>
      <ul>
        <li>{t("calendar.google")}</li>
        <li>{t("calendar.outlook")}</li>
        <li>{t("calendar.apple")}</li>
      </ul>
      <Paragraph data-size="sm">{t("calendar.refreshNote")}</Paragraph>
    </details>
  );
}
