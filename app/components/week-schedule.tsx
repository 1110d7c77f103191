// One week of a venue's free and busy time: a list of days, each a list of
// slots, so a screen reader reads "Tuesday 1 December, 18:00–19:30, busy".
// Navigation and the date form are plain links and a GET form: no JavaScript needed.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { Form, Link } from "@remix-run/react";
import { FormMessage } from "~/components/forms";
import { useT } from "~/i18n/react";
import type { DayView, WeekView } from "~/venues/week";

const SLOT_COLOR = { free: "success", busy: "warning", closed: "neutral", past: "neutral" } as const;
const SLOT_TEXT = { free: "week.free", busy: "week.busy", closed: "week.closed", past: "week.past" } as const;

/** `bookPath`: the booking form; free slots that can still be booked link to it with their time. */
function Day({ day, bookPath }: { day: DayView; bookPath?: string }) {
  const t = useT();
  return (
    <li className={day.isToday ? "day day--today" : "day"}>
      <Heading level={3} data-size="2xs">
        <time dateTime={day.date}>{day.heading}</time>
        {day.isToday && <span className="day__today"> ({t("week.today")})</span>}
      </Heading>
      {day.closure !== null ? (
        <p className="day__closed">
          {day.closure.venue ? t("week.closedReasonOf", { reason: day.closure.reason, venue: day.closure.venue }) : t("week.closedReason", { reason: day.closure.reason })}
        </p>
      ) : day.slots.length === 0 ? (
        <p className="day__closed">{t("week.notOpen")}</p>
      ) : (
        <ul className="slots">
          {day.slots.map((s) => (
            <li key={`${s.start}-${s.end}-${s.status}-${s.title}`} className={`slot slot--${s.status}`}>
              <span className="slot__time">
                {s.start}–{s.end}
              </span>{" "}
              <Tag data-color={SLOT_COLOR[s.status]} data-size="sm">
                {t(SLOT_TEXT[s.status])}
              </Tag>
              {s.title && <span className="slot__title"> {s.title}</span>}
              {bookPath && s.book && (
                <Link
                  to={`${bookPath}?${new URLSearchParams({ date: day.date, start: s.book.start, end: s.book.end })}`}
                  className="ds-link slot__book"
                >
                  {t("week.book")}
                  <span className="ds-sr-only">
                    {" "}
                    {day.heading}, {s.start}–{s.end}
                  </span>
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** `problem`: why the week asked for is not the one shown (a mistyped or far date), said beside the date field. */
export function WeekSchedule({ week, bookPath, problem }: { week: WeekView; bookPath?: string; problem?: string | null }) {
  const t = useT();
  return (
    <section aria-labelledby="week-heading" className="week">
      <Heading level={2} data-size="sm" id="week-heading">
        {t("week.heading")}
      </Heading>
      <Paragraph className="week__label">{t("week.label", { week: week.weekNumber, from: week.from, to: week.to })}</Paragraph>
      <Paragraph data-size="sm" className="muted">
        {t("week.timeZone", { zone: week.timeZone })}
      </Paragraph>
      <nav aria-label={t("week.navigation")} className="week-nav">
        <Link to={`?week=${week.previous}`} preventScrollReset className="ds-link">
          <span aria-hidden="true">← </span>
          {t("week.previous")}
        </Link>
        {!week.isCurrent && (
          <Link to={`?week=${week.current}`} preventScrollReset className="ds-link">
            {t("week.current")}
          </Link>
        )}
        <Link to={`?week=${week.next}`} preventScrollReset className="ds-link">
          {t("week.next")}
          <span aria-hidden="true"> →</span>
        </Link>
      </nav>
      <Form method="get" className="week-jump" preventScrollReset>
        <label htmlFor="week-date" className="ds-label">
          {t("week.jumpLabel")}
        </label>
        <p id="week-date-hint" className="ds-paragraph muted" data-size="sm">
          {t("week.jumpHint")}
        </p>
        <div className="week-jump__row">
          <input
            id="week-date"
            name="week"
            type="date"
            defaultValue={week.monday}
            aria-describedby={problem ? "week-date-hint week-date-problem" : "week-date-hint"}
            className="ds-input"
          />
          <button type="submit" className="ds-button" data-variant="secondary">
            {t("week.jumpButton")}
          </button>
        </div>
        {problem && (
          <div id="week-date-problem">
            <FormMessage>{problem}</FormMessage>
          </div>
        )}
      </Form>
      {week.closures.length > 0 && (
        <div className="closures">
          <Heading level={3} data-size="2xs">
            {t("week.closures")}
          </Heading>
          <ul>
            {week.closures.map((c) => (
              <li key={`${c.when}-${c.venue}-${c.reason}`}>{c.venue ? t("week.closureOf", { when: c.when, reason: c.reason, venue: c.venue }) : t("week.closure", { when: c.when, reason: c.reason })}</li>
            ))}
          </ul>
        </div>
      )}
      <ol className="days">
        {week.days.map((d) => (
          <Day key={d.date} day={d} bookPath={bookPath} />
        ))}
      </ol>
    </section>
  );
}
