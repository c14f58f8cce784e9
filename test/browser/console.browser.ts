import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/db/schema.js';
import { newId } from '../../src/ids.js';
import type { Channel, MessageStatus } from '../../src/vocabulary.js';
import { startHerald, type TestHerald } from '../support/herald.js';
import { startCallbackReceiver } from '../support/callback-receiver.js';
import { png } from '../support/media-fixtures.js';
import { ARTIFACTS, openBrowser, type TestBrowser } from './browser.js';

// The sandbox provider reports DELIVERED after the delay and READ after twice the delay: long
// enough to see a row change live, short enough for a test.
const SANDBOX_DELAY_MS = 1200;

let h: TestHerald;
let b: TestBrowser;

beforeAll(async () => {
  h = await startHerald({ HERALD_WORKERS: '2', HERALD_SANDBOX_DELAY_MS: String(SANDBOX_DELAY_MS) });
  b = await openBrowser(h.url);
});

afterAll(async () => {
  await b?.close();
  await h?.stop();
});

async function signIn(page: Page, key = h.adminKey): Promise<void> {
  await page.goto(`${h.url}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('tenant').waitFor();
}

describe('console', () => {
  it('serves the console at / and under /console/, and signs in and out with a key', async () => {
    const page = await b.newPage();
    await page.goto(`${h.url}/`);
    await page.getByLabel('API key').waitFor();
    await b.screenshot(page, 'sign-in');
    // First load: at most 300 KB of JavaScript as transferred (compressed).
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter(
          (entry) => (entry as PerformanceResourceTiming).initiatorType === 'script' || entry.name.endsWith('.js'),
        )
        .map((entry) => (entry as PerformanceResourceTiming).encodedBodySize),
    );
    expect(scripts.length).toBeGreaterThan(0);
    const total = scripts.reduce((sum, size) => sum + size, 0);
    console.log(`console first load: ${scripts.length} script(s), ${total} bytes of compressed JavaScript`);
    expect(total).toBeLessThanOrEqual(300 * 1024);
    await page.getByLabel('API key').fill('hk_not_a_key_of_this_herald_000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.error').textContent()).toContain('does not know this key');

    await signIn(page);
    expect(await page.getByTestId('tenant').textContent()).toBe('default');
    // The admin key of the bootstrap tenant has every scope: every page is offered.
    await expect.poll(() => page.getByRole('link', { name: 'Send a test' }).count()).toBe(1);
    expect(await page.evaluate(() => window.sessionStorage.getItem('herald.apiKey'))).toBe(h.adminKey);
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);

    // A reload keeps the session (this tab's sessionStorage); a deep link is the same page.
    await page.goto(`${h.url}/console/messages`);
    await page.getByTestId('tenant').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => window.sessionStorage.getItem('herald.apiKey'))).toBeNull();
    await page.close();
  });

  it('shows only what the key may do: a SEND-only key gets the send form, no message list', async () => {
    const created = await h.sdk().CreateApiKey({ input: { name: 'sender', scopes: ['SEND'] } });
    const key = created.createApiKey.__typename === 'IssuedApiKey' ? created.createApiKey.key : '';
    expect(key).not.toBe('');
    const page = await b.newPage();
    await signIn(page, key);
    await page.getByRole('form', { name: 'Send an SMS' }).waitFor();
    expect(await page.getByRole('link', { name: 'Messages' }).count()).toBe(0);
    await page.goto(`${h.url}/console/messages`);
    await page.getByRole('heading', { name: 'Nothing here for this key' }).waitFor();
    await page.close();
  });

  it('sends an SMS from the form; the live table shows its row reach READ without a reload', async () => {
    const watcher = await b.newPage();
    await signIn(watcher);
    await watcher.locator('table[aria-label="Messages"]').waitFor();
    let navigations = 0;
    watcher.on('framenavigated', (frame) => {
      if (frame === watcher.mainFrame()) navigations++;
    });

    const sender = await b.newPage();
    await signIn(sender);
    await sender.getByRole('link', { name: 'Send a test' }).click();
    await sender.getByLabel('To').fill('+918800001234');
    await sender.getByLabel('Text').fill('Hello from the console test');
    await b.screenshot(sender, 'send-sms');
    await sender.getByRole('button', { name: 'Send SMS' }).click();

    // The form opens the message's page, which follows it live too.
    await sender.waitForURL(/\/console\/messages\/[^/]+$/);
    const messageId = decodeURIComponent(sender.url().split('/').pop()!);
    const stored = await h.sdk().Message({ id: messageId });
    expect(stored.message?.to).toBe('+918800001234');

    const row = watcher.locator(`tr[data-message-id="${messageId}"]`);
    await row.waitFor({ timeout: 10_000 });
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const status = await row.locator('[data-status]').getAttribute('data-status');
          if (status) seen.add(status);
          return status;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBe('READ');
    // It was watched moving, not found finished: an earlier status was on screen first.
    expect([...seen].some((s) => s !== 'READ')).toBe(true);
    expect(navigations).toBe(0);
    await b.screenshot(watcher, 'messages');

    await expect.poll(() => sender.getByTestId('message-status').textContent(), { timeout: 15_000 }).toBe('READ');
    await sender.close();
    await watcher.close();
  });

  it('follows a burst of messages live with only the rows in view in the page', async () => {
    const page = await b.newPage();
    await signIn(page);
    await page.getByRole('textbox', { name: 'Tag' }).fill('burst');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('.table-foot').textContent()).toContain('0 messages shown');
    const table = page.locator('table[aria-label="Messages"]');
    const before = Number(await table.getAttribute('data-events'));
    const burst = 100;
    const sent = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        h.sdk().SendSms({ input: { to: `+9188000${String(20000 + i)}`, text: `burst ${i}`, tags: ['burst'] } }),
      ),
    );
    expect(sent.every((s) => s.sendSms.__typename === 'Message')).toBe(true);
    // Each message goes QUEUED, SENDING, SENT, DELIVERED, READ: five events.
    await expect
      .poll(async () => Number(await table.getAttribute('data-events')) - before, { timeout: 90_000, interval: 250 })
      .toBeGreaterThanOrEqual(burst * 5);
    const events = Number(await table.getAttribute('data-events')) - before;
    const batches = Number(await table.getAttribute('data-batches'));
    const inDom = await page.locator('tbody tr').count();
    console.log(`burst: ${events} events applied in ${batches} renders; ${inDom} rows in the DOM`);
    // Renders are per animation frame, not per event (how many share one depends on the pace);
    // only the rows in view exist in the page.
    expect(batches).toBeLessThanOrEqual(events);
    expect(inDom).toBeLessThan(80);
    expect(await page.locator('.table-foot').textContent()).toBe(`${burst} messages shown`);
    await b.screenshot(page, 'messages-burst');
    await page.close();
  }, 120_000);

  it('opens a message from the table: content, timeline of status steps and provider reports, callbacks', async () => {
    const sent = await h.sdk().SendSms({ input: { to: '+918800001235', text: 'timeline please', tags: ['tl'] } });
    const messageId = sent.sendSms.__typename === 'Message' ? sent.sendSms.messageId : '';
    await waitForStatus(messageId, 'READ');

    const page = await b.newPage();
    await signIn(page);
    await page.getByRole('textbox', { name: 'Tag' }).fill('tl');
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator(`tr[data-message-id="${messageId}"]`);
    await row.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await row.getByRole('link').click();

    await page.waitForURL(new RegExp(`/console/messages/${messageId}$`));
    await expect.poll(() => page.getByTestId('message-status').textContent()).toBe('READ');
    expect(await page.locator('.content .body').textContent()).toBe('timeline please');
    const steps = await page
      .locator('.timeline li[data-kind="status"]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-status')));
    expect(steps).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ']);
    // The send's step carries its attempt; the sandbox's reports are stored beside the steps, as received.
    expect(await page.locator('.timeline li[data-status="SENT"] summary').textContent()).toBe('attempt 1');
    const reports = page.locator('.timeline li[data-kind="provider"]');
    expect(await reports.count()).toBeGreaterThan(0);
    await reports.first().locator('summary').click();
    expect(await reports.first().locator('pre').textContent()).toContain('"status": "DELIVERED"');
    await b.screenshot(page, 'message');
    await page.close();
  });

  it('uploads header media and sends a WhatsApp template with it, previewed with its parameters', async () => {
    const created = await h.sdk().CreateTemplate({
      input: {
        channel: 'WHATSAPP',
        name: 'order_shipped',
        language: 'en',
        body: 'Hi {{1}}, order {{2}} is on its way.',
        headerKind: 'IMAGE',
      },
    });
    expect(created.createTemplate.__typename).toBe('Template');

    const page = await b.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Send a test' }).click();
    await page.getByRole('tab', { name: 'WhatsApp' }).click();
    await page.getByLabel('To').fill('+918800001236');
    await page.locator('select[name="template"]').selectOption('order_shipped|en');
    await page.getByLabel('Parameter {{1}}').fill('Asha');
    await page.getByLabel('Parameter {{2}}').fill('A-1042');
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('Hi Asha, order A-1042 is on its way.');

    // Uploaded here, then chosen in the media picker.
    await page.getByLabel('or upload a file').setInputFiles({
      name: 'parcel.png',
      mimeType: 'image/png',
      buffer: png({ variant: 7 }),
    });
    const picker = page.locator('select[name="media"]');
    await expect.poll(() => picker.inputValue()).not.toBe('');
    const mediaId = await picker.inputValue();
    await b.screenshot(page, 'send-whatsapp');
    await page.getByRole('button', { name: 'Send WhatsApp' }).click();

    await page.waitForURL(/\/console\/messages\/[^/]+$/);
    const messageId = decodeURIComponent(page.url().split('/').pop()!);
    const stored = (await h.sdk().Message({ id: messageId })).message;
    expect(stored?.content).toMatchObject({
      templateName: 'order_shipped',
      params: ['Asha', 'A-1042'],
      mediaId,
      mediaType: 'IMAGE',
    });
    await expect.poll(() => page.getByTestId('message-status').textContent(), { timeout: 15_000 }).toBe('READ');
    expect(await page.locator('.content').textContent()).toContain(mediaId);
    await page.close();
  });

  it('shows a campaign started elsewhere moving live until its progress bar reaches 100%', async () => {
    const admin = h.sdk();
    const created = await admin.CreateCampaign({
      input: { name: 'Diwali offers', channel: 'SMS', ratePerSecond: 5, content: { sms: { text: 'Hi {{1}}' } } },
    });
    if (created.createCampaign.__typename !== 'Campaign') throw new Error(JSON.stringify(created.createCampaign));
    const { id, campaignId } = created.createCampaign;
    const recipients = Array.from({ length: 15 }, (_, i) => ({
      to: `+9198${String(31000 + i).padStart(8, '0')}`,
      params: [`Customer ${i}`],
    }));
    const added = await admin.AddCampaignRecipients({ campaignId: id, recipients });
    expect(added.addCampaignRecipients.__typename).toBe('CampaignRecipientsAdded');

    const page = await b.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    const item = page.locator(`li[data-campaign-id="${campaignId}"]`);
    await expect.poll(() => item.getByTestId('campaign-status').textContent()).toBe('DRAFT');

    // Every value the bar takes, as rendered.
    const bar = item.locator('progress');
    await bar.evaluate((element) => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => seen.push(element.getAttribute('data-percent') ?? '')).observe(element, {
        attributes: true,
        attributeFilter: ['data-percent'],
      });
    });
    expect((await admin.StartCampaign({ id })).startCampaign.__typename).toBe('Campaign');
    await expect.poll(() => bar.getAttribute('data-percent'), { timeout: 30_000 }).toBe('100');
    const seen = (await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).map(Number);
    // At five a second, fifteen messages take three seconds: the bar was seen on its way.
    expect([...seen].some((p) => p > 0 && p < 100)).toBe(true);
    await expect.poll(() => item.getByTestId('campaign-status').textContent(), { timeout: 15_000 }).toBe('COMPLETED');
    await b.screenshot(page, 'campaigns');
    await page.close();
  });

  it('creates a campaign from a CSV: column mapping preview, invalid rows before starting, progress to 100%', async () => {
    const valid = Array.from({ length: 8 }, (_, i) => `+9198${String(50000 + i).padStart(8, '0')},Customer ${i},R${i}`);
    // Rows 3 and 4 as a spreadsheet numbers them (the header is row 1) have no usable number.
    const csv = ['phone,name,ref', valid[0], '12345,"Ravi, Jr.",RX', 'not-a-number,Meena,RY', ...valid.slice(1)].join(
      '\r\n',
    );
    const page = await b.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('button', { name: 'New campaign' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Name', { exact: true }).fill('Spring from a CSV');
    await form.getByLabel('Text').fill('Hi {{1}}, spring offers inside');
    await form.getByLabel('Messages per second').fill('4');
    await form.locator('input[type="file"]').setInputFiles({
      name: 'customers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    // The first rows, read in the browser, with a field guessed for each column.
    const mapping = form.getByRole('table', { name: 'Column mapping' });
    await mapping.waitFor();
    expect(await mapping.locator('tbody tr').count()).toBe(5);
    expect(await mapping.locator('tbody tr').nth(1).locator('td').nth(1).textContent()).toBe('Ravi, Jr.');
    expect(await form.getByLabel('Column phone').inputValue()).toBe('to');
    expect(await form.getByLabel('Column name').inputValue()).toBe('params.1');
    expect(await form.getByLabel('Column ref').inputValue()).toBe('externalRef');
    await form.getByRole('button', { name: 'Create and import' }).click();

    await expect.poll(() => form.getByTestId('import-summary').textContent()).toContain('10 rows read: 8 added');
    const invalid = await form
      .getByRole('table', { name: 'Invalid rows' })
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(invalid.map(([row, field]) => [row, field])).toEqual([
      ['3', 'phone'],
      ['4', 'phone'],
    ]);
    await b.screenshot(page, 'campaign-import');

    const created = (await h.sdk().Campaigns({ first: 50 })).campaigns.edges.find(
      (edge) => edge.node.name === 'Spring from a CSV',
    );
    expect(created?.node.status).toBe('DRAFT');
    const item = page.locator(`li[data-campaign-id="${created!.node.campaignId}"]`);
    await expect.poll(() => item.getByTestId('campaign-status').textContent()).toBe('DRAFT');
    await form.getByRole('button', { name: 'Start campaign' }).click();
    await expect.poll(() => item.locator('progress').getAttribute('data-percent'), { timeout: 30_000 }).toBe('100');
    await expect.poll(() => item.getByTestId('campaign-status').textContent(), { timeout: 15_000 }).toBe('COMPLETED');
    expect(await item.locator('.meta').last().textContent()).toContain('2 invalid');

    // The messages page lists that campaign's messages alone.
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Spring from a CSV' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('.table-foot').textContent()).toBe('8 messages shown');
    await page.close();
  });

  it("charts the analytics of seeded messages in the browser's time zone, with the figures beside each chart", async () => {
    // Written through SQL with known paths of statuses, in March: no other test's messages fall
    // in the range. The page runs in Asia/Kolkata (UTC+5:30): 2026-03-02T19:00Z is 00:30 on 03-03 there.
    const tenantId = (await h.sdk().Viewer()).viewer.tenant.id;
    await seedMessages(tenantId, [
      {
        created: '2026-03-02T04:00:00Z',
        channel: 'WHATSAPP',
        template: 'invoice',
        provider: 'wa',
        path: ['SENT', 'DELIVERED', 'READ'],
      },
      {
        created: '2026-03-02T04:10:00Z',
        channel: 'WHATSAPP',
        template: 'invoice',
        provider: 'wa',
        path: ['SENT', 'DELIVERED'],
      },
      {
        created: '2026-03-02T04:20:00Z',
        channel: 'WHATSAPP',
        template: 'invoice',
        provider: 'wa',
        path: ['SENT', 'UNDELIVERED'],
        errorCode: '131026',
      },
      {
        created: '2026-03-02T19:00:00Z',
        channel: 'WHATSAPP',
        template: 'invoice',
        provider: 'wa',
        path: ['SENT', 'DELIVERED', 'READ'],
      },
      { created: '2026-03-03T06:30:00Z', channel: 'SMS', provider: 'twilio', path: ['SENT', 'DELIVERED'] },
      {
        created: '2026-03-03T06:40:00Z',
        channel: 'SMS',
        provider: 'twilio',
        path: ['SENT', 'FAILED'],
        errorCode: '30003',
      },
      { created: '2026-03-03T06:50:00Z', channel: 'SMS', provider: 'twilio', path: ['FAILED'], errorCode: '30003' },
      { created: '2026-03-03T07:00:00Z', channel: 'SMS', provider: 'twilio', path: ['SENT', 'DELIVERED'] },
    ]);

    const page = await b.newPage({ timezoneId: 'Asia/Kolkata', viewport: { width: 1360, height: 860 } });
    await signIn(page);
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('form', { name: 'Analytics range and filters' }).waitFor();
    // Chromium names it by its older alias.
    expect(await page.getByTestId('analytics-zone').textContent()).toMatch(/Asia\/(Kolkata|Calcutta)/);
    await page.getByLabel('From day').fill('2026-03-02');
    await page.getByLabel('To day').fill('2026-03-03');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('[data-figure="total"]').textContent()).toBe('8');
    expect(await page.locator('[data-figure="sent"]').textContent()).toBe('7');
    expect(await page.locator('[data-figure="delivered"]').textContent()).toBe('5 (71.4%)');
    expect(await page.locator('[data-figure="read"]').textContent()).toBe('2 (40%)');

    // Each row: messages, sent, delivered, read, delivered rate, read rate.
    expect(await figures(page, 'Delivered and read rates by day')).toEqual({
      '2026-03-02': ['3', '3', '2', '1', '66.7%', '50%'],
      '2026-03-03': ['5', '4', '3', '1', '75%', '33.3%'],
    });
    expect(await figures(page, 'Delivered and read rates by hour of day')).toEqual({
      '00:00': ['1', '1', '1', '1', '100%', '100%'],
      '09:00': ['3', '3', '2', '1', '66.7%', '50%'],
      '12:00': ['4', '3', '2', '0', '66.7%', '0%'],
    });
    expect(await figures(page, 'By template')).toEqual({
      invoice: ['4', '4', '3', '2', '75%', '66.7%'],
      '(none)': ['4', '3', '2', '0', '66.7%', '0%'],
    });
    expect(await figures(page, 'By channel and provider')).toEqual({
      'WHATSAPP · wa': ['4', '4', '3', '2', '75%', '66.7%'],
      'SMS · twilio': ['4', '3', '2', '0', '66.7%', '0%'],
    });
    expect(await figures(page, 'Top failure codes')).toEqual({ '30003': ['2'], '131026': ['1'] });
    // A chart is drawn beside each table (five canvases of uPlot).
    expect(await page.locator('.chart-section .uplot canvas').count()).toBe(5);
    await page.screenshot({ path: `${ARTIFACTS}analytics.png`, fullPage: true });

    // A filter narrows every chart.
    await page.getByLabel('Channel', { exact: true }).selectOption('SMS');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('[data-figure="total"]').textContent()).toBe('4');
    expect(Object.keys(await figures(page, 'By template'))).toEqual(['(none)']);
    await page.close();
  });

  describe('setup pages', () => {
    async function openSetup(tab: string): Promise<Page> {
      const page = await b.newPage();
      await signIn(page);
      await page.getByRole('link', { name: 'Setup' }).click();
      await page.getByRole('navigation', { name: 'Setup pages' }).getByRole('link', { name: tab }).click();
      return page;
    }

    it('media library: uploads a file and shows it with a preview', async () => {
      const page = await openSetup('Media');
      await page.getByLabel('Upload a file').setInputFiles({
        name: 'storefront.png',
        mimeType: 'image/png',
        buffer: png({ variant: 11 }),
      });
      const card = page.locator('.media-card', { hasText: 'storefront.png' });
      await card.waitFor();
      // The image is fetched with the key and shown: it has pixels.
      await expect
        .poll(() => card.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth))
        .toBeGreaterThan(0);
      await b.screenshot(page, 'setup-media');
      await page.close();
    });

    it('templates: creates one and previews it with parameters', async () => {
      const page = await openSetup('Templates');
      const form = page.getByRole('form', { name: 'New template' });
      await form.getByLabel('Template name').fill('welcome_note');
      await form.getByLabel('Body').fill('Welcome {{1}}, your code is {{2}}.');
      await form.getByRole('button', { name: 'Create template' }).click();
      const row = page.locator('tr[data-template="welcome_note"]');
      await row.waitFor();
      expect(await row.locator('td').nth(4).textContent()).toBe('2');
      await row.getByRole('button', { name: 'Preview' }).click();
      await page.getByLabel('Preview parameter {{1}}').fill('Asha');
      await page.getByLabel('Preview parameter {{2}}').fill('4821');
      await expect
        .poll(() => page.getByTestId('template-preview').textContent())
        .toBe('Welcome Asha, your code is 4821.');
      await b.screenshot(page, 'setup-templates');
      await page.close();
    });

    it('webhooks: adds an endpoint (secret shown once) and lists its recent deliveries', async () => {
      const receiver = await startCallbackReceiver({ now: () => new Date() });
      try {
        const page = await openSetup('Webhooks');
        await page.getByLabel('Endpoint URL').fill(receiver.url);
        await page.getByRole('button', { name: 'Add endpoint' }).click();
        expect(await page.getByTestId('webhook-secret').textContent()).toMatch(/shown this once: \S{16,}/);
        const item = page.locator(`li[data-url="${receiver.url}"]`);
        await item.waitFor();

        const sent = await h.sdk().SendSms({ input: { to: '+918800001299', text: 'callbacks please' } });
        const messageId = sent.sendSms.__typename === 'Message' ? sent.sendSms.messageId : '';
        await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThan(0);
        const deliveries = item.getByRole('table', { name: `Recent deliveries to ${receiver.url}` });
        await expect
          .poll(
            async () => {
              await page.reload();
              await item.waitFor();
              return deliveries.locator('tbody tr', { hasText: messageId }).count();
            },
            { timeout: 15_000, interval: 500 },
          )
          .toBeGreaterThan(0);
        await b.screenshot(page, 'setup-webhooks');
        // Removed again: later scenarios' messages have no one to call back.
        await item.getByRole('button', { name: 'Delete' }).click();
        await expect.poll(() => item.count()).toBe(0);
        await page.close();
      } finally {
        await receiver.close();
      }
    });

    it('providers and routes: configures a provider whose secrets are never shown, and routes a channel to it', async () => {
      const secret = 'a-webhook-secret-nobody-sees';
      const page = await openSetup('Providers and routes');
      const form = page.getByRole('form', { name: 'Configure a provider' });
      await form.getByLabel('Provider name').fill('sandbox-b');
      await form.getByLabel('Kind').selectOption('sandbox');
      await form.getByLabel('Settings (JSON)').fill('{}');
      await form.getByLabel('Secrets (JSON, write-only)').fill(JSON.stringify({ webhookSecret: secret }));
      await form.getByRole('button', { name: 'Save provider' }).click();
      const row = page.locator('tr[data-provider="sandbox-b"]');
      await row.waitFor();
      expect(await row.textContent()).toContain('stored (write-only)');
      expect(await form.getByLabel('Secrets (JSON, write-only)').inputValue()).toBe('');
      expect(await page.content()).not.toContain(secret);
      // Saving checked the credentials; Test checks them again.
      const check = row.locator('td[data-credential-check]');
      await expect.poll(() => check.getAttribute('data-credential-check')).toBe('OK');
      expect(await check.textContent()).toContain('the sandbox needs no credentials');
      await check.getByRole('button', { name: 'Test' }).click();
      await expect.poll(() => check.getAttribute('data-credential-check')).toBe('OK');

      const route = page.getByRole('form', { name: 'Set a route' });
      await route.getByLabel('Route channel').selectOption('EMAIL');
      await route.getByLabel('Route provider').selectOption('sandbox-b');
      await route.getByRole('button', { name: 'Set route' }).click();
      await expect.poll(() => page.locator('tr[data-channel="EMAIL"] td').first().textContent()).toBe('sandbox-b');
      await b.screenshot(page, 'setup-providers');
      await page.close();
    });

    it('API keys: creates a key shown once, lists it, and revokes it', async () => {
      const page = await openSetup('API keys');
      const form = page.getByRole('form', { name: 'New API key' });
      await form.getByLabel('Key name').fill('ops-reader');
      await form.getByRole('button', { name: 'Create key' }).click();
      const shown = (await page.getByTestId('issued-key').locator('code').textContent()) ?? '';
      expect((await h.sdk(shown).Viewer()).viewer.scopes).toEqual(['READ']);
      const row = page.locator('tr[data-key-name="ops-reader"]');
      await row.waitFor();
      expect(await row.textContent()).not.toContain(shown);
      await b.screenshot(page, 'setup-keys');
      await row.getByRole('button', { name: 'Revoke' }).click();
      await expect.poll(() => row.getByTestId('revoked').textContent()).not.toBe('');
      await expect(h.sdk(shown).Viewer()).rejects.toThrow();
      await page.close();
    });

    it('queue health: a message scheduled for later is counted', async () => {
      const sendAt = new Date(Date.now() + 3_600_000).toISOString();
      const sent = await h.sdk().SendSms({ input: { to: '+918800001298', text: 'later', sendAt } });
      expect(sent.sendSms.__typename).toBe('Message');
      const expected = (await h.sdk().DeliveryHealth()).deliveryHealth.scheduled;
      expect(expected).toBeGreaterThan(0);
      const page = await openSetup('Queue health');
      await expect.poll(() => page.locator('[data-figure="scheduled"]').textContent()).toBe(String(expected));
      await b.screenshot(page, 'setup-queue');
      await page.close();
    });
  });

  it('serves GraphiQL with no network beyond Herald and runs a query with the key', async () => {
    const page = await b.newPage();
    await page.goto(`${h.url}/graphql`);
    // The headers editor comes with an Authorization template; put the key in it.
    await page.getByText('Headers', { exact: true }).click();
    const headers = page.locator('.graphiql-editor-tool .monaco-editor').last();
    await headers.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${h.adminKey}` }));
    await page.getByRole('button', { name: /execute/i }).click();
    const result = page.locator('.result-window');
    // Monaco renders spaces as non-breaking ones.
    const text = async () => ((await result.textContent()) ?? '').replace(/\s+/g, ' ');
    await expect.poll(text, { timeout: 20_000 }).toContain('"tenant": { "name": "default" }');
    await b.screenshot(page, 'graphiql');
    await page.close();
  });

  it('fetched nothing from outside Herald', () => {
    expect(b.blocked).toEqual([]);
  });
});

async function waitForStatus(messageId: string, status: string): Promise<void> {
  await expect
    .poll(async () => (await h.sdk().Message({ id: messageId })).message?.status, { timeout: 15_000 })
    .toBe(status);
}

type SeedMessage = {
  created: string;
  channel: Channel;
  template?: string;
  provider: string;
  /** The statuses it goes through after QUEUED, a second apart. */
  path: MessageStatus[];
  errorCode?: string;
};

/** Messages written as any status writer would: the database records when each reached SENT, DELIVERED, READ. */
async function seedMessages(tenantId: string, seeds: SeedMessage[]): Promise<void> {
  const db = h.herald.database.db;
  const ids = seeds.map(() => newId());
  await db.insert(messages).values(
    seeds.map((s, i) => ({
      id: ids[i]!,
      tenantId,
      channel: s.channel,
      status: 'QUEUED' as const,
      statusAt: new Date(s.created),
      recipient: `+9198${String(40000 + i).padStart(8, '0')}`,
      templateName: s.template ?? null,
      provider: s.provider,
      tags: [],
      lastErrorCode: s.errorCode ?? null,
      channelOptions: {},
      createdAt: new Date(s.created),
      updatedAt: new Date(s.created),
    })),
  );
  for (const [i, s] of seeds.entries()) {
    for (const [step, status] of s.path.entries()) {
      const at = new Date(new Date(s.created).getTime() + (step + 1) * 1000);
      await db.update(messages).set({ status, statusAt: at, updatedAt: at }).where(eq(messages.id, ids[i]!));
    }
  }
}

/** The rows of the table named `name`: each row's heading and its cells. */
async function figures(page: Page, name: string): Promise<Record<string, string[]>> {
  const rows = await page
    .getByRole('table', { name, exact: true })
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [
        tr.querySelector('th')?.textContent ?? '',
        [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      ]),
    );
  return Object.fromEntries(rows);
}
