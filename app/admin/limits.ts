// Limits the admin forms and the domain share; plain (no server code) so pages can use them.

/** The longest reason for rejecting an association (it goes into a mail). */
export const MAX_REJECTION_REASON = 500;
