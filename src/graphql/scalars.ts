import { GraphQLError, Kind, valueFromASTUntyped } from 'graphql';
import { parseDateTime } from '../validation/input.js';
import { builder } from './builder.js';

// The same rule as the REST parameters: a zone is required and the date must exist.
function parseDate(value: unknown): Date {
  const parsed = typeof value === 'string' ? parseDateTime(value) : null;
  if (parsed) return parsed;
  throw new GraphQLError(
    'DateTime must be an ISO 8601 date-time that exists, with a time zone, such as 2026-01-31T09:30:00Z or 2026-01-31T15:00:00+05:30',
  );
}

builder.scalarType('DateTime', {
  description: 'ISO 8601 date-time with a time zone (UTC on output).',
  serialize: (d) => d.toISOString(),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  // Written inline ({ accountSid: "AC..." }) as readily as passed as a variable: the value is
  // checked where it is used either way (checkJson: depth, reserved keys).
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
