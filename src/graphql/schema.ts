import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './types/message.js';
import './types/tenancy.js';
import './types/heartbeat.js';
import './types/webhook-endpoint.js';
import './types/status-events.js';
import './types/delivery-health.js';
import './types/media.js';
import './types/providers.js';
import './types/inbound.js';
import './types/template.js';
import './types/suppression.js';
import './types/campaign.js';
import './types/campaign-lifecycle.js';
import './types/stats.js';
import './types/diagnostics.js';

export const schema = builder.toSchema();

/** The SDL committed as schema/schema.graphql (sorted, so diffs stay readable). */
export const printedSchema = (): string => `${printSchema(lexicographicSortSchema(schema))}\n`;
