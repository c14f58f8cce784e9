// Which reports each provider kind sends back after accepting a message. A message waits for a
// report only when its provider sends that report: an email through SMTP ends SENT (the 250 is
// all SMTP says), so it is never "stuck" waiting for a delivery that cannot come.

export type ReportCapabilities = {
  /** The provider reports DELIVERED (or UNDELIVERED) after SENT. */
  delivery: boolean;
  /** The provider reports READ. */
  read: boolean;
};

/**
 * By kind. Environment providers are named after their kind (`smtp`), tenant instances
 * `<kind>.<id>`: `providerKind` reads the kind from either.
 */
export const REPORT_CAPABILITIES: Readonly<Record<string, ReportCapabilities>> = {
  // The sandbox simulates every report (see the README's test recipients).
  sandbox: { delivery: true, read: true },
  // Twilio's StatusCallback carries delivered/undelivered for SMS; SMS has no read receipts.
  twilio: { delivery: true, read: false },
  // Meta's status webhook: sent, delivered, read, failed.
  'whatsapp-cloud': { delivery: true, read: true },
  // The SMSMedia guide: the webhook receives "delivery reports, read receipts, and failures".
  smsmedia: { delivery: true, read: true },
  // SMTP's 250 is the last word; bounces come back later as emails to the sender.
  smtp: { delivery: false, read: false },
};

/** The kind of a provider as messages name it: `smtp`, or `smtp.<id>` for a tenant's. */
export const providerKind = (provider: string): string => provider.split('.', 1)[0]!;

/** Kinds whose messages wait for a report of this state. */
export const kindsReporting = (state: keyof ReportCapabilities): string[] =>
  Object.entries(REPORT_CAPABILITIES)
    .filter(([, c]) => c[state])
    .map(([kind]) => kind);
