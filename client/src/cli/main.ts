import { createRequire } from 'node:module';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ApiError, heraldApi } from './api.js';
import { campaignSend, type SendOptions, UsageError } from './campaign-send.js';
import {
  doctor,
  type FollowOptions,
  keysCreate,
  keysList,
  keysRevoke,
  type Out,
  type SendInput,
  send,
  status,
  tenantsCreate,
  tenantsList,
} from './commands.js';
import { MappingError } from './mapping.js';
import type { ApiKeyScope } from './graphql.js';

// `herald`: Herald's command line, a client of a running Herald's public API (HERALD_URL,
// HERALD_KEY). Exit codes: 0 done, 1 refused or failed, 2 a campaign's file had invalid rows,
// 3 `--follow` timed out, 4 the followed message failed (FAILED, UNDELIVERED, EXPIRED, CANCELED).

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number');
  return n;
};

// The package's version: package.json is two levels up from src/cli/ and from dist/cli/ alike.
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('herald').description("Herald's command line").version(version).showHelpAfterError();
program
  .addOption(new Option('--url <url>', "Herald's address").env('HERALD_URL').default('http://127.0.0.1:4000'))
  .addOption(new Option('--key <key>', 'API key (send scope)').env('HERALD_KEY'))
  .option('--json', 'print results as JSON (for scripts)', false);

/** The API of the Herald named by the global options, and where results go. */
function connect(): { api: ReturnType<typeof heraldApi>; out: Out } {
  const { url, key, json } = program.opts<{ url: string; key?: string; json: boolean }>();
  if (!key) throw new UsageError('an API key is needed: --key or HERALD_KEY');
  return { api: heraldApi(url, key), out: { log: (line) => console.log(line), json } };
}

const run =
  <A extends unknown[]>(command: (...args: A) => Promise<number>) =>
  async (...args: A) => {
    process.exitCode = await command(...args);
  };

program
  .command('doctor')
  .description(
    "check Herald: reachable, key accepted, database, migrations, Redis, public URL, each channel's route, each provider's credentials",
  )
  .action(
    run(() => {
      const { api, out } = connect();
      return doctor(api, program.opts<{ url: string }>().url, out);
    }),
  );

const SCOPES: readonly ApiKeyScope[] = ['SEND', 'READ', 'ADMIN'];
function scopeList(value: string, previous: ApiKeyScope[] = []): ApiKeyScope[] {
  const scope = value.toUpperCase() as ApiKeyScope;
  if (!SCOPES.includes(scope)) throw new InvalidArgumentError(`one of ${SCOPES.join(', ').toLowerCase()}`);
  return [...previous, scope];
}

const keys = program.command('keys').description("the tenant's API keys (admin scope)");
keys
  .command('list')
  .description('list the keys, newest first, revoked ones included')
  .action(
    run(() => {
      const { api, out } = connect();
      return keysList(api, out);
    }),
  );
keys
  .command('create <name>')
  .description('create a key; it is printed once')
  .requiredOption('--scopes <scopes...>', 'what the key may do: send, read, admin', scopeList)
  .action(
    run((name: string, opts: { scopes: ApiKeyScope[] }) => {
      const { api, out } = connect();
      return keysCreate(api, name, opts.scopes, out);
    }),
  );
keys
  .command('revoke <id>')
  .description('revoke a key: its open connections end at once')
  .action(
    run((id: string) => {
      const { api, out } = connect();
      return keysRevoke(api, id, out);
    }),
  );

const tenants = program.command('tenants').description("the installation's tenants (operator admin key)");
tenants
  .command('list')
  .description('list the tenants')
  .action(
    run(() => {
      const { api, out } = connect();
      return tenantsList(api, out);
    }),
  );
tenants
  .command('create <name>')
  .description('create a tenant; its first admin key is printed once')
  .action(
    run((name: string) => {
      const { api, out } = connect();
      return tenantsCreate(api, name, out);
    }),
  );

const seconds = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number of seconds');
  return n;
};
/** `--follow`, `--until`, `--timeout` as FollowOptions, or null without --follow. */
const followOptions = (opts: { follow?: boolean; until?: string; timeout?: number }): FollowOptions | null =>
  opts.follow
    ? { ...(opts.until ? { until: opts.until } : {}), ...(opts.timeout ? { timeoutSeconds: opts.timeout } : {}) }
    : null;
const withFollow = (command: Command) =>
  command
    .option('--follow', 'then print its status changes until it is final (or --until)')
    .option('--until <status>', 'with --follow: stop once it reaches this status (SENT, DELIVERED, …)')
    .option('--timeout <seconds>', 'with --follow: give up after this long (exit 3)', seconds);
const common = (command: Command) =>
  withFollow(command)
    .option('--external-ref <ref>', 'your reference for it')
    .option('--tags <tags...>', 'tags')
    .addOption(new Option('--category <category>').choices(['MARKETING', 'UTILITY', 'AUTHENTICATION']))
    .option('--idempotency-key <key>', 'a retried command with the same key sends once');
type CommonOptions = {
  follow?: boolean;
  until?: string;
  timeout?: number;
  externalRef?: string;
  tags?: string[];
  category?: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  idempotencyKey?: string;
};
const commonInput = (o: CommonOptions) => ({
  ...(o.externalRef ? { externalRef: o.externalRef } : {}),
  ...(o.tags ? { tags: o.tags } : {}),
  ...(o.category ? { category: o.category } : {}),
  ...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}),
});
const sendAndMaybeFollow = (what: SendInput, o: CommonOptions) => {
  const { api, out } = connect();
  return send(api, what, followOptions(o), out);
};

const sendCommand = program.command('send').description('send one message');
common(
  sendCommand
    .command('sms')
    .description('send an SMS')
    .requiredOption('--to <number>', 'recipient, E.164 (+9198…)')
    .requiredOption('--text <text>', 'the text')
    .option('--sender-id <id>', 'sender id')
    .option('--dlt-entity-id <id>', 'India DLT entity id')
    .option('--dlt-template-id <id>', 'India DLT template id')
    .option('--unicode', 'force UCS-2')
    .option('--flash', 'flash SMS'),
).action(
  run(
    (
      o: CommonOptions & {
        to: string;
        text: string;
        senderId?: string;
        dltEntityId?: string;
        dltTemplateId?: string;
        unicode?: boolean;
        flash?: boolean;
      },
    ) =>
      sendAndMaybeFollow(
        {
          channel: 'sms',
          input: {
            to: o.to,
            text: o.text,
            ...commonInput(o),
            ...(o.senderId ? { senderId: o.senderId } : {}),
            ...(o.dltEntityId ? { dltEntityId: o.dltEntityId } : {}),
            ...(o.dltTemplateId ? { dltTemplateId: o.dltTemplateId } : {}),
            ...(o.unicode ? { unicode: true } : {}),
            ...(o.flash ? { flash: true } : {}),
          },
        },
        o,
      ),
  ),
);
common(
  sendCommand
    .command('whatsapp')
    .description('send a WhatsApp template message')
    .requiredOption('--to <number>', 'recipient, E.164')
    .requiredOption('--template <name>', 'template name')
    .option('--language <code>', 'template language')
    .option('--params <values...>', 'template parameters {{1}}, {{2}}, …')
    .option('--media-id <id>', 'header media: an uploaded media id or a URL')
    .addOption(new Option('--media-type <type>').choices(['IMAGE', 'VIDEO', 'DOCUMENT'])),
).action(
  run(
    (
      o: CommonOptions & {
        to: string;
        template: string;
        language?: string;
        params?: string[];
        mediaId?: string;
        mediaType?: 'IMAGE' | 'VIDEO' | 'DOCUMENT';
      },
    ) =>
      sendAndMaybeFollow(
        {
          channel: 'whatsapp',
          input: {
            to: o.to,
            templateName: o.template,
            ...commonInput(o),
            ...(o.language ? { language: o.language } : {}),
            ...(o.params ? { params: o.params } : {}),
            ...(o.mediaId ? { mediaId: o.mediaId } : {}),
            ...(o.mediaType ? { mediaType: o.mediaType } : {}),
          },
        },
        o,
      ),
  ),
);
common(
  sendCommand
    .command('email')
    .description('send an email')
    .requiredOption('--to <addresses...>', 'recipients')
    .requiredOption('--subject <subject>', 'subject')
    .option('--text <text>', 'text part')
    .option('--html <html>', 'HTML part')
    .option('--from <address>', 'sender'),
).action(
  run((o: CommonOptions & { to: string[]; subject: string; text?: string; html?: string; from?: string }) =>
    sendAndMaybeFollow(
      {
        channel: 'email',
        input: {
          to: o.to,
          subject: o.subject,
          ...commonInput(o),
          ...(o.text ? { text: o.text } : {}),
          ...(o.html ? { html: o.html } : {}),
          ...(o.from ? { from: o.from } : {}),
        },
      },
      o,
    ),
  ),
);

withFollow(program.command('status <id>').description("a message's status; --follow prints its changes live")).action(
  run((id: string, o: CommonOptions) => {
    const { api, out } = connect();
    return status(api, id, followOptions(o), out);
  }),
);

program
  .command('campaign')
  .description('campaigns')
  .command('send <file>')
  .description('send a campaign to the rows of a CSV file, then follow it live until it is done')
  .addOption(new Option('--channel <channel>').choices(['sms', 'whatsapp', 'email']).makeOptionMandatory())
  .requiredOption('--map <pairs>', 'CSV columns: to=COL,param1=COL,…,ref=COL,meta.KEY=COL')
  .option('--name <name>', 'campaign name (default: the file name)')
  .addOption(new Option('--category <category>').choices(['MARKETING', 'UTILITY', 'AUTHENTICATION']))
  .option('--rate <n>', 'at most n messages per second', positiveInt)
  .option('--send-at <time>', 'ISO 8601 time to start sending')
  .option('--tags <tags...>', 'tags on every message')
  .option('--template <name>', 'WhatsApp template name')
  .option('--language <code>', 'WhatsApp template language')
  .option('--header-media <id>', 'WhatsApp header media id or URL')
  .addOption(new Option('--header-type <type>').choices(['IMAGE', 'VIDEO', 'DOCUMENT']))
  .option('--text <text>', 'SMS text (or the email text part), with {{1}}… placeholders')
  .option('--sender-id <id>', 'SMS sender id')
  .option('--dlt-entity-id <id>', 'SMS India DLT entity id')
  .option('--dlt-template-id <id>', 'SMS India DLT template id')
  .option('--subject <subject>', 'email subject')
  .option('--html <html>', 'email HTML body')
  .option('--from <address>', 'email sender')
  .option('--chunk-size <n>', 'rows per request (at most 10,000)', positiveInt, 5000)
  .option('--dry-run', 'read and check the file only; send nothing', false)
  .action(async (file: string, opts: SendOptions) => {
    const { url, key } = program.opts<{ url: string; key?: string }>();
    if (!key && !opts.dryRun) throw new UsageError('an API key is needed: --key or HERALD_KEY');
    const out = {
      log: (line: string) => console.log(line),
      isTTY: Boolean(process.stdout.isTTY),
      stream: process.stdout,
    };
    process.exitCode = await campaignSend(heraldApi(url, key ?? ''), file, opts, out);
  });

program.parseAsync().catch((err: unknown) => {
  const known = err instanceof UsageError || err instanceof MappingError || err instanceof ApiError;
  console.error(`herald: ${known ? err.message : err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
