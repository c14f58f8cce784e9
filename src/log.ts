import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

// Anything that could carry a credential is censored wherever it appears in a log object.
const REDACT = [
  'apikey',
  'apiKey',
  'key',
  'authorization',
  '*.apikey',
  '*.apiKey',
  '*.key',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.apikey',
  'connectionParams',
  '*.connectionParams',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}
