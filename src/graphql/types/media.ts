import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { MediaRow } from '../../db/schema.js';
import { ValidationError } from '../../errors.js';
import {
  MediaFetchError,
  MediaTooLargeError,
  MediaUrlRefusedError,
  UnsupportedMediaError,
} from '../../media/errors.js';
import { MEDIA_KINDS, type MediaKind } from '../../media/kinds.js';
import { isUuid } from '../../ids.js';
import { builder } from '../builder.js';
import { ErrorInterface } from '../errors.js';
import { connectionOf } from '../connection.js';

// Media: uploads by GraphQL multipart request (the File scalar) or by URL, lookups and the
// tenant's listing. Thin: media/service.ts does the work.

const isFileLike = (v: unknown): v is File =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as File).stream === 'function' &&
  typeof (v as File).size === 'number';

builder.scalarType('File', {
  description:
    'A file sent with a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec). Input only.',
  serialize: () => {
    throw new GraphQLError('File is an input-only scalar');
  },
  parseValue: (value) => {
    if (isFileLike(value)) return value;
    throw new GraphQLError(
      'File must be uploaded as a part of a multipart/form-data request (GraphQL multipart request spec)',
    );
  },
  parseLiteral: () => {
    throw new GraphQLError(
      'File must be uploaded as a part of a multipart/form-data request (GraphQL multipart request spec)',
    );
  },
});

export const MediaKindEnum = builder.enumType('MediaKind', {
  description: 'What the bytes are, recognised from the bytes themselves.',
  values: MEDIA_KINDS,
});

export const MediaRef = builder.loadableNodeRef('Media', {
  id: { resolve: (m: MediaRow) => m.id },
  load: (ids: string[], ctx) => ctx.services.media.get(ctx.principal.tenantId, ids),
});

MediaRef.implement({
  description:
    'A stored file of the tenant, kept once per content (the same bytes uploaded again return the same media). ' +
    'Send it as WhatsApp header media with its mediaId.',
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'storageKey' in v && 'sha256' in v,
  fields: (t) => ({
    mediaId: t.exposeString('id', {
      description: 'The plain id: sendWhatsApp mediaId, REST mediaid, GET /media/<mediaId>.',
    }),
    kind: t.field({ type: MediaKindEnum, resolve: (m) => m.kind as MediaKind }),
    mimeType: t.exposeString('mimeType', { description: 'Detected from the bytes, never taken from the client.' }),
    sizeBytes: t.exposeInt('sizeBytes'),
    sha256: t.exposeString('sha256', { description: 'Hex SHA-256 of the bytes.' }),
    filename: t.exposeString('filename', { nullable: true }),
    caption: t.exposeString('caption', { nullable: true }),
    sourceUrl: t.exposeString('sourceUrl', {
      nullable: true,
      description: 'Where it was fetched from (without query string), for URL uploads.',
    }),
    downloadPath: t.string({
      description:
        'Download path on this Herald (GET with the API key, like the API): the bytes with their content type.',
      resolve: (m) => `/media/${m.id}`,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectType(MediaTooLargeError, {
  name: 'MediaTooLargeError',
  description: "The file is over its limit: the kind's WhatsApp limit, or HERALD_MEDIA_MAX_BYTES. Nothing was stored.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field'),
    limitBytes: t.exposeInt('limitBytes'),
  }),
});

builder.objectType(UnsupportedMediaError, {
  name: 'UnsupportedMediaError',
  description: 'The bytes are not an accepted type, or not the kind declared. Nothing was stored.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field'),
    detectedType: t.exposeString('detectedType', {
      nullable: true,
      description: 'What the bytes are (MIME type), when recognised.',
    }),
  }),
});

builder.objectType(MediaUrlRefusedError, {
  name: 'MediaUrlRefusedError',
  description:
    'A URL Herald does not fetch: not http(s), with credentials, or reaching a private address. Nothing was fetched.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field') }),
});

builder.objectType(MediaFetchError, {
  name: 'MediaFetchError',
  description: 'The URL could not be fetched (DNS, connection, timeout, redirects, HTTP status). Nothing was stored.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field'),
    httpStatus: t.exposeInt('httpStatus', { nullable: true }),
  }),
});

/** A Relay global id or the plain media id; anything else is not found. */
export function mediaIdFrom(id: string): string | null {
  if (isUuid(id)) return id;
  try {
    const decoded = decodeGlobalID(id);
    return decoded.typename === 'Media' && isUuid(decoded.id) ? decoded.id : null;
  } catch {
    return null;
  }
}

builder.queryFields((t) => ({
  media: t.field({
    type: MediaRef,
    nullable: true,
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true, description: 'Global id or plain media id.' }) },
    resolve: async (_root, { id }, ctx) => {
      const mediaId = mediaIdFrom(id);
      return mediaId ? ((await ctx.services.media.lookup(ctx.principal.tenantId, mediaId)) ?? null) : null;
    },
  }),
  mediaList: t.connection(
    {
      type: MediaRef,
      authScopes: { read: true },
      description: "The tenant's media, newest first (at most 100 per page).",
      resolve: async (_root, args, ctx) => {
        const page = await ctx.services.media.list(ctx.principal.tenantId, {
          first: args.first ?? undefined,
          after: args.after ?? undefined,
          last: args.last ?? undefined,
          before: args.before ?? undefined,
        });
        return connectionOf(page);
      },
    },
    { name: 'MediaConnection' },
    { name: 'MediaEdge' },
  ),
}));

const uploadErrors = [ValidationError, MediaTooLargeError, UnsupportedMediaError];

builder.mutationFields((t) => ({
  uploadMedia: t.field({
    type: MediaRef,
    authScopes: { send: true },
    description:
      'Stores a file sent as a GraphQL multipart request. Its type is recognised from the bytes (WhatsApp media: JPEG/PNG images, ' +
      'MP4/3GPP videos, AAC/AMR/MP3/M4A/OGG audio, PDF/Office/plain-text documents, WebP stickers) and checked against the ' +
      'limit of its kind; the same bytes return the media already stored.',
    errors: { types: uploadErrors },
    args: {
      file: t.arg({ type: 'File', required: true }),
      caption: t.arg.string({ description: 'At most 1024 characters.' }),
    },
    resolve: async (_root, { file, caption }, ctx) => {
      const { media } = await ctx.services.media.upload(
        ctx.principal.tenantId,
        file.stream() as unknown as AsyncIterable<Uint8Array>,
        {
          field: 'file',
          filename: file.name || undefined,
          contentType: file.type || undefined,
          caption: caption ?? undefined,
          sizeHint: file.size,
        },
      );
      return media;
    },
  }),
  createMediaFromUrl: t.field({
    type: MediaRef,
    authScopes: { send: true },
    description:
      'Fetches an http(s) URL (public addresses only, at most 3 redirects, with a timeout) and stores the file as uploadMedia does.',
    errors: { types: [...uploadErrors, MediaUrlRefusedError, MediaFetchError] },
    args: {
      url: t.arg.string({ required: true }),
      caption: t.arg.string({ description: 'At most 1024 characters.' }),
    },
    resolve: async (_root, { url, caption }, ctx) => {
      const { media } = await ctx.services.media.fromUrl(ctx.principal.tenantId, url, {
        field: 'url',
        caption: caption ?? undefined,
      });
      return media;
    },
  }),
}));
