import { v7 } from 'uuid';

/** Time-ordered ids (UUIDv7): new rows land at the right edge of every index. */
export const newId = (msecs?: number): string => (msecs === undefined ? v7() : v7({ msecs }));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id a client sent is looked up only if it is a UUID (either case): anything else is simply not found. */
export const isUuid = (s: string): boolean => UUID.test(s);
