import { describe, expect, it } from 'vitest';
import { MESSAGE_STATUSES, type MessageStatus } from '../src/vocabulary.js';
import { nextStatus, type StatusCause } from '../src/messaging/status-machine.js';

// The status rule as a table: (current, requested, cause) -> resulting status, where '-' means
// "no change". Every combination is listed, so a change to the rule shows up here.

const S = MESSAGE_STATUSES;

// Provider reports: rows are the current status, columns the reported one.
//              SCHED  QUEUED SENDING SENT  DELIV  READ   FAILED UNDEL  EXPIRED CANCEL
const provider: Record<MessageStatus, string[]> = {
  SCHEDULED: ['-', 'QUE', 'SNG', 'SNT', 'DLV', 'RD', 'FLD', 'UND', 'EXP', 'CAN'],
  QUEUED: ['-', '-', 'SNG', 'SNT', 'DLV', 'RD', 'FLD', 'UND', 'EXP', 'CAN'],
  SENDING: ['-', '-', '-', 'SNT', 'DLV', 'RD', 'FLD', 'UND', 'EXP', 'CAN'],
  SENT: ['-', '-', '-', '-', 'DLV', 'RD', 'FLD', 'UND', 'EXP', 'CAN'],
  DELIVERED: ['-', '-', '-', '-', '-', 'RD', '-', '-', '-', '-'],
  READ: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  FAILED: ['-', '-', '-', '-', 'DLV', 'RD', '-', '-', '-', '-'],
  UNDELIVERED: ['-', '-', '-', '-', 'DLV', 'RD', '-', '-', '-', '-'],
  EXPIRED: ['-', '-', '-', '-', 'DLV', 'RD', '-', '-', '-', '-'],
  CANCELED: ['-', '-', '-', '-', 'DLV', 'RD', '-', '-', '-', '-'],
};

const dispatcher: Record<MessageStatus, string[]> = {
  SCHEDULED: ['-', 'QUE', 'SNG', '-', '-', '-', '-', '-', 'EXP', '-'],
  QUEUED: ['-', '-', 'SNG', '-', '-', '-', '-', '-', 'EXP', '-'],
  SENDING: ['-', 'QUE', '-', 'SNT', '-', '-', 'FLD', '-', 'EXP', '-'],
  SENT: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  DELIVERED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  READ: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  FAILED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  UNDELIVERED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  EXPIRED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  CANCELED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
};

const operator: Record<MessageStatus, string[]> = {
  SCHEDULED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', 'CAN'],
  QUEUED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', 'CAN'],
  SENDING: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  SENT: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  DELIVERED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  READ: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  FAILED: ['-', 'QUE', '-', '-', '-', '-', '-', '-', '-', '-'],
  UNDELIVERED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  EXPIRED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  CANCELED: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
};

const ABBREV: Record<string, MessageStatus> = {
  QUE: 'QUEUED',
  SNG: 'SENDING',
  SNT: 'SENT',
  DLV: 'DELIVERED',
  RD: 'READ',
  FLD: 'FAILED',
  UND: 'UNDELIVERED',
  EXP: 'EXPIRED',
  CAN: 'CANCELED',
};

const cases = (cause: StatusCause, table: Record<MessageStatus, string[]>) =>
  S.flatMap((current) =>
    S.map((to, i) => [cause, current, to, table[current][i] === '-' ? null : ABBREV[table[current][i]!]] as const),
  );

describe('status machine', () => {
  it.each([...cases('provider', provider), ...cases('dispatcher', dispatcher), ...cases('operator', operator)])(
    '%s: %s + %s -> %s',
    (cause, current, to, expected) => {
      expect(nextStatus(current, to, cause)).toBe(expected);
    },
  );
});
