// The question at the top of /associations/:id before removing a member,
// leaving or handing over the leader role (app/associations/member-confirmation.server.ts):
// what it means, a button that sends the same form again with confirm=1, and
// a link back that changes nothing. A plain form and a plain link, so it works
// without JavaScript; with it, focus moves to the question when it appears and
// back to the button that asked when it is cancelled.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { Link } from "@remix-run/react";
import type { ConfirmableChange } from "~/associations/member-confirmation.server";
import { useT } from "~/i18n/react";
import { type FocusState, useFocusOnReply } from "./focus";
import { IntentField, PostForm } from "./forms";

/** The id of the button on the member list that asks for this change, for focus to come back to. */
export function memberButtonId(change: ConfirmableChange, userId: number): string {
  return change === "leave" ? "leave-association" : `member-${userId}-${change}`;
}

export interface ConfirmMemberChangeProps {
  change: ConfirmableChange;
  userId: number;
  /** The person as the member list names them. */
  name: string;
  association: string;
  /** The page without the question. */
  cancelTo: string;
  /** The reply that asked (useActionData): a new one moves focus here. */
  reply: unknown;
}

export function ConfirmMemberChange({ change, userId, name, association, cancelTo, reply }: ConfirmMemberChangeProps) {
  const t = useT();
  const heading = useFocusOnReply<HTMLHeadingElement>(reply);
  const params = { name, association };
  const back: FocusState = { focus: memberButtonId(change, userId) };
  return (
    <section aria-labelledby="confirm-heading" className="ds-alert confirm-panel" data-color="warning">
      <Heading level={2} data-size="sm" id="confirm-heading" ref={heading} tabIndex={-1}>
        {t(`association.confirm.${change}.heading`, params)}
      </Heading>
      {/* Also the button's description: someone tabbing straight to it hears what it means. */}
      <Paragraph id="confirm-intro">{t(`association.confirm.${change}.intro`, params)}</Paragraph>
      <PostForm className="form-row confirm-panel__actions">
        <IntentField intent={change === "handOver" ? "handOver" : "remove"} />
        <input type="hidden" name="userId" value={userId} />
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" aria-describedby="confirm-intro" className="ds-button" data-variant="primary" data-color={change === "handOver" ? undefined : "danger"}>
          {t(`association.confirm.${change}.submit`, params)}
        </button>
        <Link to={cancelTo} state={back} className="ds-link">
          {t("association.confirm.cancel")}
        </Link>
      </PostForm>
    </section>
  );
}
