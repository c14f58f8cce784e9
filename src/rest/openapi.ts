import type { Channel } from '../vocabulary.js';
import { ENDPOINTS, MAX_TEMPLATE_PARAMS, type Endpoint, type ParamSpec } from './endpoints.js';

// OpenAPI 3.1 description of the REST API, served at GET /api/openapi.json. Built from the same
// parameter table the handler reads (endpoints.ts), so the two cannot drift apart.

export type JsonSchema = {
  $ref?: string;
  type?: JsonType | JsonType[];
  description?: string;
  format?: string;
  enum?: ReadonlyArray<string | number>;
  const?: string | number | boolean;
  pattern?: string;
  items?: JsonSchema;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  examples?: unknown[];
};
type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';

export type Reference = { $ref: string };

export type ParameterObject = {
  name: string;
  in: 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
  example?: unknown;
};

export type MediaTypeObject = { schema: JsonSchema; example?: unknown };

export type ResponseObject = {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, MediaTypeObject>;
};

export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  parameters?: Array<ParameterObject | Reference>;
  requestBody?: { required?: boolean; description?: string; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject | Reference>;
  security?: Array<Record<string, string[]>>;
};

export type PathItem = { summary?: string; get?: Operation; post?: Operation };

export type SecurityScheme =
  | { type: 'apiKey'; in: 'header' | 'query'; name: string; description?: string }
  | { type: 'http'; scheme: 'bearer'; description?: string };

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
    parameters: Record<string, ParameterObject>;
    securitySchemes: Record<string, SecurityScheme>;
  };
  security: Array<Record<string, string[]>>;
};

const json = (schema: JsonSchema, example?: unknown): Record<string, MediaTypeObject> => ({
  'application/json': example === undefined ? { schema } : { schema, example },
});
const ref = (kind: 'schemas' | 'responses' | 'parameters', name: string): Reference => ({
  $ref: `#/components/${kind}/${name}`,
});

function errorResponse(
  description: string,
  code: string,
  example: string,
  headers?: ResponseObject['headers'],
): ResponseObject {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: json(ref('schemas', 'Error'), { status: 'error', error: { code, message: example, field: null } }),
  };
}

function querySchema(p: ParamSpec): JsonSchema {
  switch (p.type) {
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer' };
    case 'date-time':
      return { type: 'string', format: 'date-time' };
    default:
      return p.enum ? { type: 'string', enum: p.enum } : { type: 'string' };
  }
}

function bodySchema(p: ParamSpec): JsonSchema {
  const described = (s: JsonSchema): JsonSchema => ({
    ...s,
    description: p.description,
    ...(p.example !== undefined ? { examples: [p.example] } : {}),
  });
  switch (p.type) {
    case 'boolean':
      return described({ type: ['boolean', 'string'] });
    case 'integer':
      return described({ type: ['integer', 'string'] });
    case 'list':
      return described({ type: ['string', 'array'], items: { type: 'string' } });
    default:
      return described(querySchema(p));
  }
}

function stripUndefined(s: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as JsonSchema;
}

function describeParams(endpoint: Endpoint, serviceId: number): ParamSpec[] {
  return endpoint.params.map((p) =>
    p.name === 'serviceid'
      ? {
          ...p,
          example: serviceId,
          description: `The ${endpoint.label} service id, ${serviceId} on this installation. Optional; another value is refused with 400.`,
        }
      : p,
  );
}

function operations(endpoint: Endpoint, serviceId: number, maxBodyBytes: number): PathItem {
  const specs = describeParams(endpoint, serviceId);
  const templateNote = endpoint.templateParams
    ? ` Template parameters param1..param${MAX_TEMPLATE_PARAMS}, numbered from 1 without gaps, fill the template's {{1}}, {{2}}...`
    : '';
  const base = `${endpoint.description}${templateNote} Parameter names are case-insensitive; unknown parameters are refused.`;
  const slug = endpoint.channel === 'WHATSAPP' ? 'WhatsApp' : endpoint.channel === 'SMS' ? 'Sms' : 'Email';
  const responses: Operation['responses'] = {
    '200': {
      description: 'Accepted: one message per recipient, in the order given (QUEUED, or SCHEDULED with sendat).',
      content: json(ref('schemas', 'SendSuccess')),
    },
    '400': ref('responses', 'BadRequest'),
    '401': ref('responses', 'Unauthorized'),
    '403': ref('responses', 'Forbidden'),
    '405': ref('responses', 'MethodNotAllowed'),
    '409': ref('responses', 'IdempotencyConflict'),
    // Only WhatsApp sends have a category over REST: the one of their registered template.
    ...(endpoint.channel === 'WHATSAPP'
      ? {
          '422': errorResponse(
            'The template is registered as MARKETING and a recipient opted out (the suppression list); nothing was stored for that recipient.',
            'RECIPIENT_SUPPRESSED',
            'mobile +918800001234 opted out of marketing messages on WHATSAPP (suppression list)',
          ),
        }
      : {}),
    '429': ref('responses', 'RateLimited'),
    '500': ref('responses', 'InternalError'),
  };

  const queryParams: ParameterObject[] = specs
    .filter((p) => p.name !== 'apikey')
    .map((p) => ({
      name: p.name,
      in: 'query',
      ...(p.required ? { required: true } : {}),
      description: p.description,
      schema: querySchema(p),
      ...(p.example !== undefined ? { example: p.example } : {}),
    }));
  if (endpoint.templateParams) {
    for (let i = 1; i <= 4; i++) {
      queryParams.push({
        name: `param${i}`,
        in: 'query',
        description: `Template parameter {{${i}}}${i === 4 ? `; param5..param${MAX_TEMPLATE_PARAMS} work the same way` : ''}.`,
        schema: { type: 'string' },
      });
    }
  }

  const properties: Record<string, JsonSchema> = {};
  for (const p of specs) properties[p.name] = stripUndefined(bodySchema(p));
  const body: JsonSchema = {
    type: 'object',
    properties,
    required: specs.filter((p) => p.required).map((p) => p.name),
    ...(endpoint.templateParams
      ? { patternProperties: { '^param[1-9][0-9]*$': { type: 'string', description: 'Template parameter {{N}}.' } } }
      : {}),
    additionalProperties: false,
  };

  return {
    summary: endpoint.summary,
    get: {
      operationId: `send${slug}Get`,
      summary: `${endpoint.summary} (query string)`,
      description: `${base} Prefer POST or the apikey header: URLs are logged by proxies and servers.`,
      tags: ['send'],
      parameters: [...queryParams, ref('parameters', 'IdempotencyKey')],
      responses,
    },
    post: {
      operationId: `send${slug}Post`,
      summary: `${endpoint.summary} (JSON or form body)`,
      description: `${base} Parameters in the query string are merged with the body; each may be given once.`,
      tags: ['send'],
      parameters: [ref('parameters', 'IdempotencyKey')],
      requestBody: {
        required: true,
        description: `At most ${maxBodyBytes} bytes, UTF-8.`,
        content: { 'application/json': { schema: body }, 'application/x-www-form-urlencoded': { schema: body } },
      },
      responses: {
        ...responses,
        '413': ref('responses', 'PayloadTooLarge'),
        '415': ref('responses', 'UnsupportedMediaType'),
      },
    },
  };
}

const MEDIA_KINDS_REST = ['image', 'video', 'audio', 'document', 'sticker'];

/** POST /api/media/upload: a URL, base64 data or a multipart file; answers the mediaId. */
function mediaUpload(maxMediaBytes: number): PathItem {
  const common: Record<string, JsonSchema> = {
    mediaType: {
      type: 'string',
      enum: MEDIA_KINDS_REST,
      description:
        'Optional, case-insensitive. When given, the file must be of this kind (recognised from its bytes), and its limit applies while it streams.',
    },
    caption: { type: 'string', description: 'At most 1024 characters.' },
    filename: {
      type: 'string',
      description:
        'Shown to recipients of documents; .txt marks plain text, .doc/.xls/.ppt tell legacy Office files apart.',
    },
  };
  const success: JsonSchema = {
    type: 'object',
    required: ['status', 'mediaId', 'mediaType', 'mimeType', 'size', 'sha256', 'filename', 'caption', 'duplicate'],
    properties: {
      status: { const: 'success' },
      mediaId: {
        type: 'string',
        format: 'uuid',
        description: 'Send it as mediaid (WhatsApp header media); GET /media/{mediaId} downloads it.',
      },
      mediaType: { type: 'string', enum: MEDIA_KINDS_REST },
      mimeType: { type: 'string', description: 'Recognised from the bytes.' },
      size: { type: 'integer' },
      sha256: { type: 'string' },
      filename: { type: ['string', 'null'] },
      caption: { type: ['string', 'null'] },
      duplicate: {
        type: 'boolean',
        description:
          'The same bytes were already stored for this tenant: their mediaId is returned and nothing new is stored.',
      },
    },
  };
  return {
    post: {
      operationId: 'uploadMedia',
      summary: 'Upload media',
      description:
        'Stores a file for WhatsApp messages: fetched from mediaUrl (public http(s) addresses only, at most 3 redirects), sent as base64 in data, ' +
        'or sent as a multipart part named "file". The type is recognised from the bytes: JPEG/PNG images (5 MiB), MP4/3GPP videos (16 MiB), ' +
        'AAC/AMR/MP3/M4A/OGG audio (16 MiB), PDF, Word, Excel, PowerPoint and UTF-8 text documents (100 MiB), WebP stickers (100 KiB), ' +
        `all within ${maxMediaBytes} bytes. The same bytes return the same mediaId. The key must be in the apikey header (or Authorization, or the query string), never in the body.`,
      tags: ['media'],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                ...common,
                mediaUrl: {
                  type: 'string',
                  format: 'uri',
                  description: 'Fetch the file from here (one of mediaUrl or data).',
                },
                data: { type: 'string', description: 'The file, base64 (standard or URL-safe, or a data: URL).' },
              },
            },
            example: {
              mediaType: 'document',
              mediaUrl: 'https://your-cdn.com/invoice.pdf',
              caption: 'Your invoice is attached',
            },
          },
          'application/x-www-form-urlencoded': {
            schema: { type: 'object', properties: { ...common, mediaUrl: { type: 'string', format: 'uri' } } },
          },
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: { ...common, file: { type: 'string', format: 'binary' } },
            },
          },
        },
      },
      responses: {
        '200': { description: 'Stored (or already stored): the mediaId.', content: json(success) },
        '400': errorResponse(
          'A parameter is missing or invalid, or mediaUrl is refused (URL_REFUSED: not http(s), credentials, a private address).',
          'URL_REFUSED',
          'mediaurl is 127.0.0.1, a loopback address',
        ),
        '401': ref('responses', 'Unauthorized'),
        '403': ref('responses', 'Forbidden'),
        '405': ref('responses', 'MethodNotAllowed'),
        '413': errorResponse(
          'The file is over the limit of its kind or the overall limit (HERALD_MEDIA_MAX_BYTES, the same for GraphQL uploads).',
          'MEDIA_TOO_LARGE',
          'file is larger than 5 MiB, the largest image WhatsApp accepts',
        ),
        '415': errorResponse(
          'The bytes are not an accepted type, or not the declared mediaType.',
          'UNSUPPORTED_MEDIA_TYPE',
          'file is an ELF executable (application/x-elf), not a document',
        ),
        '422': errorResponse(
          'mediaUrl could not be fetched (DNS, timeout, redirects, HTTP status).',
          'MEDIA_FETCH_FAILED',
          'mediaurl answered HTTP 404',
        ),
        '429': ref('responses', 'RateLimited'),
        '500': ref('responses', 'InternalError'),
      },
    },
  };
}

export function openApiDocument(opts: {
  serviceIds: Record<Channel, number>;
  maxBodyBytes: number;
  maxMediaBytes: number;
}): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  for (const endpoint of ENDPOINTS)
    paths[endpoint.path] = operations(endpoint, opts.serviceIds[endpoint.channel], opts.maxBodyBytes);
  paths['/api/media/upload'] = mediaUpload(opts.maxMediaBytes);
  paths['/api/openapi.json'] = {
    get: {
      operationId: 'openApi',
      summary: 'This document',
      tags: ['meta'],
      security: [],
      responses: { '200': { description: 'The OpenAPI 3.1 document.', content: json({ type: 'object' }) } },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Herald REST API (SMSMedia-compatible)',
      version: '1.0.0',
      description:
        'Send WhatsApp templates, SMS and email with the parameters of the SMSMedia HTTP API. Messages are the same as ' +
        "those sent through Herald's GraphQL API (visible in its queries, subscriptions and callbacks). Every response is JSON.",
    },
    tags: [
      { name: 'send', description: 'Accept messages' },
      { name: 'media', description: 'Media for WhatsApp templates' },
      { name: 'meta', description: 'About the API' },
    ],
    paths,
    components: {
      schemas: {
        SendSuccess: {
          type: 'object',
          required: ['status', 'messageId', 'messageIds', 'messages'],
          properties: {
            status: { const: 'success' },
            messageId: {
              type: 'string',
              format: 'uuid',
              description: 'The first message (the only one for a single recipient).',
            },
            messageIds: {
              type: 'array',
              items: { type: 'string', format: 'uuid' },
              description: 'One per recipient, in the order given.',
            },
            messages: {
              type: 'array',
              items: {
                type: 'object',
                required: ['messageId', 'to', 'status'],
                properties: {
                  messageId: {
                    type: 'string',
                    format: 'uuid',
                    description: 'Also Message.messageId in GraphQL and messageId in callbacks.',
                  },
                  to: {
                    type: 'string',
                    description: 'The recipient as stored: E.164 phone number or lower-case address.',
                  },
                  status: {
                    type: 'string',
                    description: 'QUEUED or SCHEDULED when new; the current status for an idempotent repeat.',
                  },
                },
              },
            },
          },
          examples: [
            {
              status: 'success',
              messageId: '01968a2e-5b7c-7d21-9f3a-2c4b6d8e0f12',
              messageIds: ['01968a2e-5b7c-7d21-9f3a-2c4b6d8e0f12'],
              messages: [{ messageId: '01968a2e-5b7c-7d21-9f3a-2c4b6d8e0f12', to: '+918800001234', status: 'QUEUED' }],
            },
          ],
        },
        Error: {
          type: 'object',
          required: ['status', 'error'],
          properties: {
            status: { const: 'error' },
            error: {
              type: 'object',
              required: ['code', 'message', 'field'],
              properties: {
                code: {
                  type: 'string',
                  enum: [
                    'INVALID_INPUT',
                    'MALFORMED_REQUEST',
                    'UNAUTHENTICATED',
                    'FORBIDDEN',
                    'NOT_FOUND',
                    'METHOD_NOT_ALLOWED',
                    'IDEMPOTENCY_CONFLICT',
                    'PAYLOAD_TOO_LARGE',
                    'UNSUPPORTED_MEDIA_TYPE',
                    'URL_REFUSED',
                    'MEDIA_FETCH_FAILED',
                    'RATE_LIMITED',
                    'INTERNAL',
                    'NOT_IMPLEMENTED',
                  ],
                },
                message: {
                  type: 'string',
                  description: 'What is wrong, starting with the parameter name when there is one.',
                },
                field: {
                  type: ['string', 'null'],
                  description: 'The parameter at fault (mobile, param3, Idempotency-Key...), or null.',
                },
              },
            },
          },
        },
      },
      responses: {
        BadRequest: errorResponse(
          'A parameter is missing or invalid (field names it), or the body cannot be parsed.',
          'INVALID_INPUT',
          'mobile is required',
        ),
        Unauthorized: errorResponse('Missing or invalid API key.', 'UNAUTHENTICATED', 'invalid API key'),
        Forbidden: errorResponse('The key lacks the send scope.', 'FORBIDDEN', 'this API key lacks the "send" scope'),
        MethodNotAllowed: errorResponse(
          'Only GET and POST are served.',
          'METHOD_NOT_ALLOWED',
          '"PUT" is not supported here; use GET, POST',
        ),
        IdempotencyConflict: errorResponse(
          'The idempotency key was already used for a request with other parameters; nothing was stored.',
          'IDEMPOTENCY_CONFLICT',
          'Idempotency-Key "order-77" was already used for a different request',
        ),
        PayloadTooLarge: errorResponse(
          'The body is over the limit.',
          'PAYLOAD_TOO_LARGE',
          `the body is limited to ${opts.maxBodyBytes} bytes`,
        ),
        UnsupportedMediaType: errorResponse(
          'The body is neither JSON nor form-encoded (or not UTF-8).',
          'UNSUPPORTED_MEDIA_TYPE',
          'send the body as application/json or application/x-www-form-urlencoded',
        ),
        RateLimited: errorResponse(
          'Too many requests for this key (HERALD_REST_RATE_LIMIT).',
          'RATE_LIMITED',
          'too many requests for this API key; retry in 1 s',
          {
            'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
          },
        ),
        InternalError: errorResponse(
          'A server fault; nothing about the request was wrong. Retry with the same Idempotency-Key.',
          'INTERNAL',
          'internal error',
        ),
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          description:
            'A repeat of the same request with the same key returns the original message ids (status 200); the same key with other parameters is a 409. ' +
            'With several recipients, recipient i (from 0) is stored under "<key>:<i>".',
          schema: { type: 'string' },
        },
      },
      securitySchemes: {
        apikeyHeader: { type: 'apiKey', in: 'header', name: 'apikey', description: 'Recommended.' },
        bearer: { type: 'http', scheme: 'bearer' },
        apikeyParameter: {
          type: 'apiKey',
          in: 'query',
          name: 'apikey',
          description: 'As in the SMSMedia guide; also accepted in a POST body. Avoid: URLs are logged.',
        },
      },
    },
    security: [{ apikeyHeader: [] }, { bearer: [] }, { apikeyParameter: [] }],
  };
}
