import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFetch } from '@whatwg-node/fetch';
import { GraphQLError } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { deliveryHealth, metricsText } from './delivery/health.js';
import { startDelivery, type Delivery } from './delivery/index.js';
import type { GraphQLContext } from './graphql/context.js';
import { GRAPHQL_MULTIPART_SLACK, uploadTooLarge, useBodyLimits } from './graphql/body-limits.js';
import { exposeDomainError } from './graphql/errors.js';
import { schema } from './graphql/schema.js';
import type { Logger } from './log.js';
import { StatusHub } from './pubsub/status-hub.js';
import { createProviderDirectory } from './providers/directory.js';
import { createRestHandler } from './rest/handler.js';
import { createMediaDownloadHandler, MEDIA_DOWNLOAD_PREFIX } from './rest/media-download.js';
import { createServices, type Services } from './services.js';
import { keyFromHeaders } from './tenancy/authenticator.js';
import { bootstrap, type BootstrapResult, type Principal } from './tenancy/service.js';
import { createWebhookHandler, webhookProvider } from './webhooks/inbound.js';

export type Herald = {
  server: Server;
  services: Services;
  database: Database;
  /** Present when this process dispatches (HERALD_WORKERS > 0). */
  delivery: Delivery | undefined;
  /** Set when this start created the operator tenant: the admin key, to be shown once. */
  bootstrap: BootstrapResult;
  listen(): Promise<string>;
  stop(): Promise<void>;
};

const UNAUTHENTICATED = JSON.stringify({
  errors: [
    {
      message: 'Missing or invalid API key: send "Authorization: Bearer <key>" or an "apikey" header.',
      extensions: { code: 'UNAUTHENTICATED' },
    },
  ],
});

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}

/** Opens the database, migrates, bootstraps and wires the HTTP and WebSocket servers. */
export type HeraldOptions = {
  /** Injectable clock (tests move time instead of sleeping). */
  now?: () => Date;
  random?: () => number;
};

export async function createHerald(config: Config, log: Logger, opts: HeraldOptions = {}): Promise<Herald> {
  const now = opts.now ?? (() => new Date());
  const database = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  await database.migrate();
  const boot = await bootstrap(database.db, config.bootstrapApiKey);
  const statusHub = config.redisUrl ? await StatusHub.redis(config.redisUrl) : StatusHub.inProcess();
  // One set of providers per process: the dispatcher sends through them, webhooks verify with
  // them (an API-only process, HERALD_WORKERS=0, still ingests reports).
  const providers = createProviderDirectory(database.db, config, now);
  const services = createServices(database.db, config, {
    pglite: database.kind === 'pglite',
    onError: (err) => log.error({ err }, 'background task failed'),
    now,
    statusHub,
    providers,
  });

  const delivery =
    config.delivery.workers > 0
      ? await startDelivery(database, config, log, {
          now,
          onChanges: statusHub.publish,
          providers,
          ...(opts.random ? { random: opts.random } : {}),
        })
      : undefined;
  const rest = createRestHandler({
    services,
    log,
    serviceIds: config.rest.serviceIds,
    rateLimitPerSecond: config.rest.rateLimitPerSecond,
  });
  const webhooks = createWebhookHandler({
    db: database.db,
    providers,
    publicUrl: config.publicUrl,
    now,
    log,
    onChanges: statusHub.publish,
    concurrency: database.kind === 'pglite' ? 1 : 4,
  });

  const mediaDownload = createMediaDownloadHandler({ services, log });
  // GraphQL multipart uploads (uploadMedia) are parsed by Yoga, which holds a file in memory
  // until the resolver streams it to the media store: cap it, and the form around it.
  const multipartCap = config.media.maxBytes + GRAPHQL_MULTIPART_SLACK;

  const yoga = createYoga<{ principal?: Principal }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    fetchAPI: createFetch({ formDataLimits: { fileSize: multipartCap, files: 1, fields: 20, fieldSize: 1024 * 1024 } }),
    // Body limits are useBodyLimits': Yoga's own default (25,000,000 bytes) would refuse uploads
    // below HERALD_MEDIA_MAX_BYTES with an untyped 413.
    maxRequestBodySize: false,
    plugins: [useBodyLimits(config.media.maxBytes)],
    landingPage: false,
    graphiql: { title: 'Herald', subscriptionsProtocol: 'WS' },
    logging: {
      debug: (...args) => log.debug({ args }, 'yoga'),
      info: (...args) => log.info({ args }, 'yoga'),
      warn: (...args) => log.warn({ args }, 'yoga'),
      error: (...args) => log.error({ args }, 'yoga'),
    },
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const exposed = exposeDomainError(error);
        if (exposed) return exposed;
        // Unexpected faults are logged here and reach the client only as a generic error.
        const original = (error as { originalError?: unknown }).originalError;
        // A GraphQLError underneath is graphql-js refusing the request (variables that do not
        // coerce): the client's mistake, shown to it as is, not a fault of Herald's.
        if (original && !(original instanceof GraphQLError)) log.error({ err: original }, 'unexpected error while executing an operation');
        return maskError(error, message, isDev);
      },
    },
    context: ({ principal }) => {
      if (!principal) throw new Error('request reached GraphQL without an authenticated principal');
      return { principal, services };
    },
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://herald.local');
    if (url.pathname === '/healthz') {
      try {
        await database.ping();
        sendJson(res, 200, JSON.stringify({ status: 'ok', database: database.kind }));
      } catch {
        sendJson(res, 503, JSON.stringify({ status: 'unavailable', database: database.kind }));
      }
      return;
    }
    if (url.pathname === '/metrics') {
      // Installation-wide figures: operator keys only.
      const principal = await services.authenticator.authenticate(keyFromHeaders((n) => header(req, n)));
      if (!principal?.isOperator) return sendJson(res, 401, UNAUTHENTICATED);
      const at = now();
      const health = await deliveryHealth(database.db, null, at, config.delivery.stuckSentAfterMs);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metricsText(health, services.statusHub.size, at));
      return;
    }
    if (url.pathname === '/graphql') {
      // GraphiQL itself is a static page; every operation needs a key.
      const graphiql =
        req.method === 'GET' && (header(req, 'accept') ?? '').includes('text/html') && !url.searchParams.has('query');
      const principal = graphiql ? undefined : await services.authenticator.authenticate(keyFromHeaders((n) => header(req, n)));
      if (!graphiql && !principal) return sendJson(res, 401, UNAUTHENTICATED);
      const declared = Number(header(req, 'content-length'));
      if (/^multipart\//i.test(header(req, 'content-type') ?? '') && declared > multipartCap) {
        const { message, extensions } = uploadTooLarge(config.media.maxBytes);
        const { http: _http, ...shown } = extensions;
        res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' }).end(JSON.stringify({ errors: [{ message, extensions: shown }] }));
        return;
      }
      await yoga.handle(req, res, { principal: principal ?? undefined });
      return;
    }
    // Provider reports: authenticated by the provider's signature, not an API key.
    const webhookFor = webhookProvider(url.pathname);
    if (webhookFor) return webhooks(req, res, webhookFor);
    // Uploaded media, for the tenant's own key.
    if (url.pathname.startsWith(MEDIA_DOWNLOAD_PREFIX)) return mediaDownload(req, res, url);
    // The SMSMedia-compatible REST API (its own JSON errors, 404s included, under /api/).
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return rest.handle(req, res, url);
    sendJson(res, 404, JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${url.pathname}` } }));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err, method: req.method, path: req.url?.split('?')[0] }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }));
      else res.end();
    });
  });

  // graphql-ws on the same path; the key travels in connectionParams since browsers cannot set
  // headers on a WebSocket.
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const principals = new WeakMap<object, Principal>();
  useServer<Record<string, unknown> | undefined>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const raw = params.apiKey ?? params.apikey ?? params.authorization ?? params.Authorization;
        const key = typeof raw === 'string' ? raw.replace(/^Bearer\s+/i, '') : undefined;
        const principal = await services.authenticator.authenticate(key);
        if (!principal) return false;
        principals.set(ctx.extra, principal);
        return true;
      },
      onSubscribe: async (ctx, _id, params) => {
        const principal = principals.get(ctx.extra);
        const { schema: s, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          principal,
        });
        const args = {
          schema: s,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
    },
    wss,
  );

  return {
    server,
    services,
    database,
    delivery,
    bootstrap: boot,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const { port } = server.address() as AddressInfo;
          resolve(`http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`);
        });
      }),
    stop: async () => {
      await delivery?.stop(config.delivery.sendTimeoutMs); // stops the providers too
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      });
      await yoga.dispose();
      if (!delivery) await providers.stop();
      await statusHub.close();
      await database.close();
    },
  };
}
