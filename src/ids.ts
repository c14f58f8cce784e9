import { v7 } from 'uuid';

/** Time-ordered ids (UUIDv7): new rows land at the right edge of every index. */
export const newId = (msecs?: number): string => (msecs === undefined ? v7() : v7({ msecs }));
