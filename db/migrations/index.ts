import type { Migration } from "kysely";
import * as m0001 from "./2026-11-26-0001-init";
import * as m0002 from "./2026-11-26-0002-booking-context";
import * as m0003 from "./2026-11-26-0003-outbox";
import * as m0004 from "./2026-11-26-0004-calendar";
import * as m0005 from "./2026-11-26-0005-accounts";
import * as m0006 from "./2026-12-01-0006-blocks";
import * as m0007 from "./2026-12-02-0007-people";
import * as m0008 from "./2026-12-02-0008-booking-write";
import * as m0009 from "./2026-12-02-0009-owner-country";
import * as m0010 from "./2026-12-02-0010-rules-stamp";
import * as m0011 from "./2026-12-02-0011-batch-write";
import * as m0012 from "./2026-12-02-0012-batch-check-plans";
import * as m0013 from "./2026-12-03-0013-public-titles";
import * as m0014 from "./2026-12-03-0014-closed-parts";
import * as m0015 from "./2026-12-03-0015-closure-names";

// Listed by hand so that bundlers and tsx find them without a directory scan.
// Names sort in the order they run; never rename or edit one that has shipped.
export const migrations: Record<string, Migration> = {
  "2026-11-26-0001-init": m0001,
  "2026-11-26-0002-booking-context": m0002,
  "2026-11-26-0003-outbox": m0003,
  "2026-11-26-0004-calendar": m0004,
  "2026-11-26-0005-accounts": m0005,
  "2026-12-01-0006-blocks": m0006,
  "2026-12-02-0007-people": m0007,
  "2026-12-02-0008-booking-write": m0008,
  "2026-12-02-0009-owner-country": m0009,
  "2026-12-02-0010-rules-stamp": m0010,
  "2026-12-02-0011-batch-write": m0011,
  "2026-12-02-0012-batch-check-plans": m0012,
  "2026-12-03-0013-public-titles": m0013,
  "2026-12-03-0014-closed-parts": m0014,
  "2026-12-03-0015-closure-names": m0015,
};
