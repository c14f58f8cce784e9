import { Command, InvalidArgumentError, Option } from 'commander';
import { ApiError, heraldApi } from './api.js';
import { campaignSend, type SendOptions, UsageError } from './campaign-send.js';
import { MappingError } from './mapping.js';

// `herald`: Herald's command line, a client of a running Herald's public API (HERALD_URL,
// HERALD_KEY). Exit codes: 0 done, 1 failed, 2 done but some rows were invalid.

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number');
  return n;
};

const program = new Command('herald').description("Herald's command line").showHelpAfterError();
program
  .addOption(new Option('--url <url>', "Herald's address").env('HERALD_URL').default('http://127.0.0.1:4000'))
  .addOption(new Option('--key <key>', 'API key (send scope)').env('HERALD_KEY'));

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
