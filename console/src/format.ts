const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Today's times as a clock, older ones with their date. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  return at.toDateString() === new Date().toDateString() ? time.format(at) : dateTime.format(at);
}

export const fullTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '');
