import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFetch } from '@whatwg-node/fetch';
import { GraphQLError, type DocumentNode, type ExecutionResult } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import { getOperationAST } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { sealStoredSecrets } from './callbacks/endpoints.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { deliveryHealth, metricsText } from './delivery/health.js';
import { startDelivery, type Delivery } from './delivery/index.js';
import type { GraphQLContext } from './graphql/context.js';
import { GRAPHQL_MULTIPART_SLACK, uploadTooLarge, useBodyLimits } from './graphql/body-limits.js';
import { isClientFacing, isClientMistake, kindOf, pathOf } from './graphql/error-levels.js';
import { exposeDomainError } from './graphql/errors.js';
import { limitsPlugins } from './graphql/limits.js';
import { useOperationObservability } from './graphql/observability.js';
import { LiveSubscriptions, useLiveSubscriptions } from './graphql/live/live-subscriptions.js';
import { subscriptionGuard, tooManySubscriptionsError } from './graphql/subscription-guard.js';
import { loadConsoleSite } from './http/console-site.js';
import { createGraphiqlPage } from './http/graphiql-page.js';
import { createAdmission, RATE_LIMITED_MESSAGE, refuse, retryAfterHeader, type Refusal } from './http/admission.js';
import { KeyRateLimiter } from './http/key-rate-limit.js';
import { MemoryBudget } from './http/memory-budget.js';
import { schema } from './graphql/schema.js';
import { timedStep, type Logger } from './log.js';
import { StatusHub } from './pubsub/status-hub.js';
import { OutboundGuard, type ResolveAll } from './net/outbound.js';
import { createProviderDirectory } from './providers/directory.js';
import { environmentProviders } from './providers/credential-check.js';
import { errorBody, RestError } from './rest/errors.js';
import { createRestHandler } from './rest/handler.js';
import { createMediaDownloadHandler, MEDIA_DOWNLOAD_PREFIX } from './rest/media-download.js';
import { createServices, type Services } from './services.js';
import { keyFromHeaders } from './tenancy/authenticator.js';
import { bootstrap, type BootstrapResult, type Principal } from './tenancy/service.js';
import { createWebhookHandler, webhookProvider } from './webhooks/inbound.js';
import { applyTemplateWebhook } from './templates/lifecycle.js';
import { requestHeader } from './net/http-headers.js';
import { messageCountFold } from './messaging/count-fold.js';
import { HeraldMetrics } from './observability/metrics.js';
import { inSpan, SpanKind } from './observability/tracing.js';
import { otherProcessesMetrics } from './observability/metrics-ipc.js';
import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from './observability/request-context.js';

const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** What a graphql-ws subscription carries from onSubscribe to subscribe. */
type LiveJoin = { socket: WebSocket; id: string; principal: Principal };

export type Herald = {
  server: Server;
  services: Services;
  database: Database;
  /** Live subscriptions of this process, grouped by what they receive. */
  live: LiveSubscriptions;
  /** This process's counters and histograms (/metrics). */
  metrics: HeraldMetrics;
  /** Present when this process dispatches (HERALD_WORKERS > 0). */
  delivery: Delivery | undefined;
  /** Set when this start created the operator tenant: the admin key, to be shown once. */
  /**
   * First start: creates the operator tenant and its admin key. Called once listening, so a
   * start that fails (port taken) has created no key it could not show.
   */
  bootstrap(): Promise<BootstrapResult>;
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

const METRICS_FORBIDDEN = JSON.stringify({
  errors: [{ message: '/metrics needs an ADMIN key of the operator tenant.', extensions: { code: 'FORBIDDEN' } }],
});

/** GraphQL's answer to a request refused on its headers. */
const UPLOADS_BUSY = JSON.stringify({
  errors: [
    {
      message: 'Herald is holding as many uploads in memory as HERALD_UPLOAD_MEMORY_BYTES allows; retry in a second',
      extensions: { code: 'UPLOADS_BUSY' },
    },
  ],
});

function graphqlRefusal(refusal: Refusal): string {
  if (refusal.status === 401) return UNAUTHENTICATED;
  const seconds = refusal.retryAfterSeconds ?? 1;
  return JSON.stringify({ errors: [{ message: RATE_LIMITED_MESSAGE(seconds), extensions: { code: 'RATE_LIMITED' } }] });
}

/** REST's (and /media/'s) answer to a request refused on its headers. */
function restRefusal(refusal: Refusal): string {
  if (refusal.status === 401) {
    return JSON.stringify(
      errorBody(
        new RestError(
          401,
          'UNAUTHENTICATED',
          'invalid API key: send a valid key in the "apikey" header or as "Authorization: Bearer <key>"',
        ),
      ),
    );
  }
  return JSON.stringify(
    errorBody(new RestError(429, 'RATE_LIMITED', RATE_LIMITED_MESSAGE(refusal.retryAfterSeconds ?? 1))),
  );
}

/** A query-string key worth checking early; anything else is left to the REST handler's parameter checks. */
const plausibleKey = (value: string | null): string | undefined =>
  value && /^[\x21-\x7e]{24,200}$/.test(value) ? value : undefined;

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}

/** Opens the database, migrates and wires the HTTP and WebSocket servers. */
export type HeraldOptions = {
  /** Injectable clock (tests move time instead of sleeping). */
  now?: () => Date;
  random?: () => number;
  /** Resolves the host names of tenant-supplied URLs (tests answer names of their own). */
  resolve?: ResolveAll;
  /** PGlite only: a dump of a data directory to start from (tests pass an already migrated one). */
  loadDataDir?: Blob;
  /** The built console's directory (default: console/dist of this checkout). */
  consoleDir?: string;
};

export async function createHerald(config: Config, log: Logger, opts: HeraldOptions = {}): Promise<Herald> {
  const now = opts.now ?? (() => new Date());
  const database = openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    loadDataDir: opts.loadDataDir,
  });
  await timedStep(log, 'migrating the database', 'database migrated', () => database.migrate());
  const statusHub = await StatusHub.open(config, log);
  const metrics = new HeraldMetrics();
  // Every committed status change this process makes is counted once, then published.
  const onChanges = metrics.counting(statusHub.publish);
  // One set of providers per process: the dispatcher sends through them, webhooks verify with
  // them (an API-only process, HERALD_WORKERS=0, still ingests reports).
  // One guard for every tenant-supplied URL: registration checks and connections alike.
  const outbound = new OutboundGuard({ allowPrivate: config.outbound.allowPrivateTargets, resolve: opts.resolve });
  const providers = createProviderDirectory(database.db, config, now, outbound);
  // Signing secrets an earlier Herald stored in plaintext are sealed now (SQL cannot encrypt).
  const sealed = await sealStoredSecrets(database.db, providers.secrets);
  if (sealed > 0) log.info({ count: sealed }, 'sealed callback signing secrets stored in plaintext');
  const services = createServices(database.db, config, {
    outbound,
    pglite: database.kind === 'pglite',
    onError: (err) => log.error({ err }, 'background task failed'),
    now,
    statusHub,
    onAccepted: onChanges,
    providers,
    diagnostics: {
      database,
      redisUrl: config.redisUrl,
      publicUrl: config.publicUrlSet ? config.publicUrl : undefined,
      providers,
      outbound,
      environmentProviders: environmentProviders(config.providers),
      timeoutMs: 3_000,
    },
  });

  const delivery =
    config.delivery.workers > 0
      ? await startDelivery(database, config, log, {
          now,
          onChanges,
          metrics,
          onTemplateChanges: statusHub.publishTemplateChanges,
          providers,
          outbound,
          ...(opts.random ? { random: opts.random } : {}),
        })
      : undefined;
  // Delivery analytics' upkeep, in every API process (one fold runs at a time across them).
  const countFold = messageCountFold(database.db, log);
  countFold.start();
  const limiter = config.keyRateLimit ? new KeyRateLimiter(config.keyRateLimit) : undefined;
  const admit = createAdmission({ authenticator: services.authenticator, limiter });
  const rest = createRestHandler({ services, log, serviceIds: config.rest.serviceIds, limiter });
  const webhooks = createWebhookHandler({
    db: database.db,
    providers,
    publicUrl: config.publicUrl,
    now,
    log,
    onChanges,
    metrics,
    onTemplates: (providerName, reports) =>
      applyTemplateWebhook(
        {
          db: database.db,
          now,
          onChanges: (changes) => {
            statusHub.publishTemplateChanges(changes);
            delivery?.callbacks?.wake(); // queued with them
          },
        },
        providerName,
        reports,
      ),
    concurrency: database.kind === 'pglite' ? 1 : 4,
  });

  const mediaDownload = createMediaDownloadHandler({ services, log });
  const consoleSite = await loadConsoleSite(opts.consoleDir);
  if (!consoleSite.built)
    log.warn('the web console is not built: run `npm run build:console` (npm install does it), then restart Herald');
  const graphiqlPage = createGraphiqlPage();
  // GraphQL multipart uploads (uploadMedia) are parsed by Yoga, which holds a file in memory
  // until the resolver streams it to the media store: cap it, and the form around it.
  const multipartCap = config.media.maxBytes + GRAPHQL_MULTIPART_SLACK;
  // Room for at least one upload of the largest size, whatever the setting says.
  const uploadMemory = new MemoryBudget(Math.max(config.media.uploadMemoryBytes, multipartCap));

  const yoga = createYoga<{ principal?: Principal }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    fetchAPI: createFetch({ formDataLimits: { fileSize: multipartCap, files: 1, fields: 20, fieldSize: 1024 * 1024 } }),
    // Body limits are useBodyLimits': Yoga's own default (25,000,000 bytes) would refuse uploads
    // below HERALD_MEDIA_MAX_BYTES with an untyped 413.
    maxRequestBodySize: false,
    landingPage: false,
    plugins: [
      useBodyLimits(config.media.maxBytes),
      ...limitsPlugins(config.graphql),
      subscriptionGuard({ keyWatch: services.keyWatch, maxSsePerKey: config.subscriptions.maxSsePerKey }),
      useLiveSubscriptions(() => live),
      useOperationObservability(metrics),
    ],
    // GraphiQL is served by graphiqlPage (no CDN); Yoga's own would load its scripts from one.
    graphiql: false,
    logging: {
      debug: (...args) => log.debug({ args }, 'yoga'),
      info: (...args) => log.info({ args }, 'yoga'),
      warn: (...args) => log.warn({ args }, 'yoga'),
      // Yoga reports a client's refused request as an error too: debug, without its message (it
      // may quote the input).
      error: (...args) =>
        args.length > 0 && args.every(isClientFacing)
          ? log.debug({ paths: args.map(pathOf) }, 'yoga: request refused')
          : log.error({ args }, 'yoga'),
    },
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const exposed = exposeDomainError(error);
        if (exposed) return exposed;
        // Unexpected faults are logged here and reach the client only as a generic error.
        const original = (error as { originalError?: unknown }).originalError;
        if (original && isClientMistake(original))
          log.debug({ kind: kindOf(original), path: pathOf(error) }, 'operation refused');
        else if (original) log.error({ err: original }, 'unexpected error while executing an operation');
        return maskError(error, message, isDev);
      },
    },
    context: ({ principal }) => {
      if (!principal) throw new Error('request reached GraphQL without an authenticated principal');
      return { principal, services };
    },
  });

  // Every subscription joins a group of those that receive the same payloads; a group runs its
  // subscription once, through Yoga's envelope, with a context of its own (graphql/live/).
  const live: LiveSubscriptions = new LiveSubscriptions(
    schema,
    async ({
      principal,
      document,
      operationName,
      variables,
    }): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> => {
      const env = yoga.getEnveloped({ principal, liveGroup: true } as { principal: Principal });
      const contextValue = await env.contextFactory();
      return env.subscribe({
        schema: env.schema,
        document,
        operationName,
        variableValues: variables,
        contextValue,
      }) as Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;
    },
    { maxBufferedBytes: config.subscriptions.maxBufferedBytes, maxQueued: 1000 },
    (err) => log.error({ err }, 'live subscription'),
  );

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
      // Installation-wide figures: admin keys of the operator tenant only.
      const principal = await services.authenticator.authenticate(keyFromHeaders((n) => requestHeader(req, n)));
      if (!principal) return sendJson(res, 401, UNAUTHENTICATED);
      if (!principal.isOperator || !principal.scopes.includes('admin')) return sendJson(res, 403, METRICS_FORBIDDEN);
      const at = now();
      const health = await deliveryHealth(database.db, null, at, config.delivery.stuckSentAfterMs);
      // The dispatch process's counters too, when npm start runs one beside this one.
      const others = await otherProcessesMetrics(log);
      res
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
        .end(metricsText(health, live.groups.members, at) + (await metrics.text(others)));
      return;
    }
    if (url.pathname === '/graphql') {
      // GraphiQL itself is a static page; every operation needs a key.
      const graphiql =
        req.method === 'GET' &&
        (requestHeader(req, 'accept') ?? '').includes('text/html') &&
        !url.searchParams.has('query');
      if (graphiql) return graphiqlPage(req, res);
      const admission = await admit(keyFromHeaders((n) => requestHeader(req, n)));
      if (admission?.refusal)
        return refuse(
          req,
          res,
          admission.refusal.status,
          graphqlRefusal(admission.refusal),
          retryAfterHeader(admission.refusal),
        );
      const principal = admission?.principal;
      const declared = Number(requestHeader(req, 'content-length'));
      if (/^multipart\//i.test(requestHeader(req, 'content-type') ?? '')) {
        if (declared > multipartCap) {
          const { message, extensions } = uploadTooLarge(config.media.maxBytes);
          const { http: _http, ...shown } = extensions;
          return refuse(req, res, 413, JSON.stringify({ errors: [{ message, extensions: shown }] }));
        }
        // A body without a length may grow to the cap: it reserves the cap.
        const release = uploadMemory.tryTake(declared > 0 ? declared : multipartCap);
        if (!release) return refuse(req, res, 503, UPLOADS_BUSY, { 'retry-after': '1' });
        res.once('close', release);
      }
      await yoga.handle(req, res, { principal });
      return;
    }
    // The web console: static files, a client of /graphql like any other.
    if (consoleSite.handles(url.pathname)) return consoleSite.serve(req, res, url.pathname);
    // Provider reports: authenticated by the provider's signature, not an API key.
    const webhookFor = webhookProvider(url.pathname);
    if (webhookFor) return webhooks(req, res, webhookFor);
    const api = url.pathname === '/api' || url.pathname.startsWith('/api/');
    // The OpenAPI description is public: whatever key comes with it does not matter.
    if (url.pathname === '/api/openapi.json') return rest.handle(req, res, url, undefined);
    if (api || url.pathname.startsWith(MEDIA_DOWNLOAD_PREFIX)) {
      // A key in the headers (or, on /api/, the query string) is checked before the body is
      // read; without one, the REST handler looks for it in a (size-capped) form body.
      const key =
        keyFromHeaders((n) => requestHeader(req, n)) ??
        (api ? plausibleKey(url.searchParams.get('apikey')) : undefined);
      const admission = key ? await admit(key) : undefined;
      if (admission?.refusal) {
        const authenticate: Record<string, string> =
          admission.refusal.status === 401 ? { 'www-authenticate': 'Bearer realm="herald"' } : {};
        return refuse(req, res, admission.refusal.status, restRefusal(admission.refusal), {
          ...authenticate,
          ...retryAfterHeader(admission.refusal),
        });
      }
      // Uploaded media, for the tenant's own key.
      if (!api) return mediaDownload(req, res, url);
      // The SMSMedia-compatible REST API (its own JSON errors, 404s included, under /api/). Its
      // span is the parent of the accepts it makes, as a GraphQL operation's is; the path is an
      // attribute, not the name, since clients choose it.
      return inSpan(
        'rest.request',
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '', 'url.path': url.pathname } },
        () => rest.handle(req, res, url, admission?.principal),
      );
    }
    sendJson(
      res,
      404,
      JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${url.pathname}` } }),
    );
  }

  const server = createServer((req, res) => {
    // Every request has an id (the caller's, if safe, else a new one): answered in the response,
    // carried by its log lines, stored with the messages it accepts (request-context.ts).
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    withRequestId(requestId, () => handle(req, res)).catch((err) => {
      log.error({ err, method: req.method, path: req.url?.split('?')[0] }, 'request failed');
      if (!res.headersSent)
        sendJson(res, 500, JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }));
      else res.end();
    });
  });
  // Idle keep-alive connections outlive their clients' own idle timeouts (undici 4 s, load
  // balancers 60 s): with Node's 5 s default a client can send on a connection the server is
  // closing at that moment, and the request fails without an answer.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

  // graphql-ws on the same path; the key travels in connectionParams since browsers cannot set
  // headers on a WebSocket.
  // Upgrades are routed here rather than through `{ server }`: a WebSocketServer given the server
  // re-emits its errors, and graphql-ws prints a stack trace for any (a port already taken).
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://herald').pathname !== '/graphql') {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const principals = new WeakMap<object, Principal>();
  // Per connection: ids of its subscription operations (queries over the socket do not count).
  const subscriptionIds = new WeakMap<object, Set<string>>();
  const unwatchKey = new WeakMap<object, () => void>();
  const maxPerConnection = config.subscriptions.maxPerConnection;
  useServer<Record<string, unknown> | undefined>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const raw = params.apiKey ?? params.apikey ?? params.authorization ?? params.Authorization;
        const key = typeof raw === 'string' ? raw.replace(/^Bearer\s+/i, '') : undefined;
        const principal = await services.authenticator.authenticate(key);
        if (!principal) return false;
        principals.set(ctx.extra, principal);
        // The socket is authenticated once: a revoked key closes it (queries on it included).
        const socket = ctx.extra.socket;
        unwatchKey.set(
          ctx.extra,
          services.keyWatch.watch(principal.keyId, () => socket.close(4403, 'API key revoked')),
        );
        return true;
      },
      onClose: (ctx) => {
        unwatchKey.get(ctx.extra)?.();
      },
      onSubscribe: async (ctx, id, params) => {
        const principal = principals.get(ctx.extra);
        const {
          schema: s,
          execute,
          contextFactory,
          parse,
          validate,
        } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          principal,
          viaWebSocket: true,
        });
        let document: DocumentNode;
        try {
          document = parse(params.query);
        } catch (err) {
          // A syntax error or a document over the limits: an error for this operation, not a
          // closed socket.
          if (err instanceof GraphQLError) return [err];
          throw err;
        }
        const errors = validate(s, document);
        if (errors.length) return errors;
        if (getOperationAST(document, params.operationName)?.operation === 'subscription') {
          const ids = subscriptionIds.get(ctx.extra) ?? new Set<string>();
          subscriptionIds.set(ctx.extra, ids);
          // graphql-ws drops an id from ctx.subscriptions however the operation ended.
          for (const open of ids) if (!(open in ctx.subscriptions)) ids.delete(open);
          if (ids.size >= maxPerConnection) {
            return [
              tooManySubscriptionsError(maxPerConnection, 'HERALD_MAX_SUBSCRIPTIONS_PER_CONNECTION', 'connection'),
            ];
          }
          ids.add(id);
          // No context per subscriber: its group runs with one of its own (subscribe below).
          const join: LiveJoin = { socket: ctx.extra.socket, id, principal: principal! };
          return {
            schema: s,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            rootValue: join,
          };
        }
        return {
          schema: s,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute },
        };
      },
      // Each query or mutation over the socket is a request of its own, with a new id (carried
      // like an HTTP request's: log lines, stored with what it accepts, callbacks).
      execute: (args) =>
        withRequestId(requestIdFrom(undefined), () =>
          (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
        ),
      // Subscriptions join their live group; their socket gets the group's bytes (graphql/live/).
      subscribe: (args) => {
        const { socket, id, principal } = args.rootValue as LiveJoin;
        return live.socket(socket, id, {
          principal,
          document: args.document,
          operationName: args.operationName,
          variables: args.variableValues,
        });
      },
    },
    wss,
  );

  services.keyWatch.start();

  return {
    server,
    services,
    live,
    database,
    delivery,
    metrics,
    bootstrap: () => bootstrap(database.db, config.bootstrapApiKey),
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const { port } = server.address() as AddressInfo;
          resolve(`http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`);
        });
      }),
    stop: async () => {
      await countFold.stop();
      await delivery?.stop(config.delivery.sendTimeoutMs); // stops the providers too
      services.keyWatch.stop();
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
