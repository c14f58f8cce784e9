import { send } from './send.js';
import { dispatch } from './dispatch.js';
import { webhooks } from './webhooks.js';
import { fanout } from './fanout.js';
import { e2e } from './e2e.js';
import { campaign } from './campaign.js';
import { stats } from './stats.js';
import { readOptions, type BenchOptions } from './lib/options.js';
import { formatMarkdown, formatTable, type ResultRow, type ScenarioReport } from './lib/report.js';
import { describeMachine } from './lib/machine.js';
import { formatTarget, formatTargets, formatTargetsMarkdown, type Target } from './lib/targets.js';
import { killAllNow, stopAll } from './lib/server.js';

// npm run bench [-- scenario...]: runs the named scenarios (all by default) one after another,
// each against its own Herald child process and throw-away database, then prints a summary.
// A new scenario is a file in bench/ exporting `(opts) => Promise<ScenarioReport>`, added here.

type Scenario = (opts: BenchOptions) => Promise<ScenarioReport>;

const scenarios: Record<string, { describe: string; run: Scenario }> = {
  send: {
    describe: 'sendSms vs a bare { __typename } query: API-only (P1), and with the default start dispatching (P1d)',
    run: send,
  },
  dispatch: {
    describe: 'QUEUED->SENT msg/s through Twilio to a fake, vs a bare HTTP loop; accept->provider at half load (P3)',
    run: dispatch,
  },
  webhooks: {
    describe: 'signed sandbox status webhooks: events/s vs the bare query, 50 vs 1 per request, durability (P4)',
    run: webhooks,
  },
  fanout: {
    describe: 'graphql-ws messageEvents fan-out: latency at 1,000 subscribers, broadcast to 10,000, RSS',
    run: fanout,
  },
  e2e: {
    describe:
      'sendSms -> Twilio (fake) -> signed status callbacks -> READ, with a customer callback: CPU per message (P7)',
    run: e2e,
  },
  campaign: {
    describe: 'addCampaignRecipients: 1,000,000 recipients in calls of 10,000 vs a raw COPY of the same rows (C2)',
    run: campaign,
  },
  stats: {
    describe:
      'messageStats on 1,000,000 messages of one tenant: four typical groupings through GraphQL, median ms (A5)',
    run: stats,
  },
};

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !(n in scenarios));
  if (unknown.length > 0 || process.argv.includes('--help')) {
    const list = Object.entries(scenarios).map(([n, s]) => `  ${n.padEnd(12)} ${s.describe}`);
    console.error(
      `${unknown.length ? `unknown scenario: ${unknown.join(', ')}\n` : ''}usage: npm run bench [-- scenario...]\n${list.join('\n')}`,
    );
    process.exit(unknown.length ? 2 : 0);
  }
  const selected = names.length ? names : Object.keys(scenarios);
  const opts = readOptions();

  console.log(
    `Herald bench: ${selected.join(', ')} | ${opts.concurrency} clients, ` +
      `${opts.warmupMs / 1000} s warm-up + ${opts.durationMs / 1000} s measured per case`,
  );
  for (const line of await describeMachine(opts.heraldDir)) console.log(line);

  const rows: ResultRow[] = [];
  const notes: string[] = [];
  const targets: Target[] = [];
  for (const name of selected) {
    console.log(`\n[${name}] running...`);
    const report = await scenarios[name]!.run(opts);
    rows.push(...report.rows);
    notes.push(...report.notes.map((n) => `[${name}] ${n}`));
    // Printed as soon as known, and again in the summary.
    for (const t of report.targets ?? []) console.log(formatTarget(t));
    targets.push(...(report.targets ?? []));
  }

  // A scenario that only judges targets (stats) has no load rows.
  if (rows.length > 0) console.log(`\n${formatTable(rows)}\n`);
  for (const n of notes) console.log(n);
  console.log(`\n${formatTargets(targets)}`);
  if (rows.length > 0) console.log(`\nMarkdown rows for docs/benchmarks.md:\n\n${formatMarkdown(rows)}`);
  if (targets.length > 0) console.log(`\n${formatTargetsMarkdown(targets)}`);
}

// Children and databases must not outlive the bench, whatever ends it. Handlers stay installed
// during the clean-up: npm and tsx relay a Ctrl-C a second time, and with no listener left the
// process would exit before the database is dropped.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping Herald and dropping the bench database...`);
    void stopAll().finally(() => process.exit(130));
  });
}
process.on('exit', killAllNow);

main().then(
  () => stopAll(),
  async (err) => {
    console.error(`bench failed: ${err instanceof Error ? err.message : err}`);
    await stopAll();
    process.exitCode = 1;
  },
);
