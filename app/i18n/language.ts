import type { MessageKey } from "./nb";

export type Messages = Record<MessageKey, string>;

export interface Language {
  /** BCP 47 code, used in the `lang` cookie and the html lang attribute. */
  code: string;
  /** The language's name in itself, shown in the language switch. */
  name: string;
  /** The locale luxon and Intl format dates, times and numbers with. */
  dateLocale: string;
  /** Other Accept-Language codes this language serves (e.g. "no" for bokmål). */
  aliases: readonly string[];
  messages: Messages;
}
