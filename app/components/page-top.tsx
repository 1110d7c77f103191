// The top of a page that belongs under another: the way back, then the page's
// one heading. The arrow is decoration; the link's text says where it goes.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { Link } from "@remix-run/react";

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
