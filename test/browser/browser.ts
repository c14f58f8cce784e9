import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { CHROMIUM } from './chromium.js';

/** Screenshots of each page, kept as test artefacts (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

export type TestBrowser = {
  browser: Browser;
  context: BrowserContext;
  /** URLs the pages tried to fetch beyond Herald (each refused). */
  blocked: string[];
  /** A page of the shared context; with options, of a context of its own (e.g. another time zone), as guarded. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
};

/**
 * Chromium with every request that does not go to `origin` refused: the console (and GraphiQL)
 * must work on a machine with no way out.
 */
export async function openBrowser(origin: string): Promise<TestBrowser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const blocked: string[] = [];
  const contexts: BrowserContext[] = [];
  const newContext = async (options: BrowserContextOptions = {}): Promise<BrowserContext> => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, ...options });
    contexts.push(context);
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    await context.routeWebSocket(/.*/, (ws) => {
      if (new URL(ws.url()).host === new URL(origin).host) ws.connectToServer();
      else {
        blocked.push(ws.url());
        void ws.close();
      }
    });
    return context;
  };
  const context = await newContext();
  return {
    browser,
    context,
    blocked,
    newPage: async (options) => (options ? (await newContext(options)).newPage() : context.newPage()),
    screenshot: async (page, name) => {
      await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: false });
    },
    close: async () => {
      for (const each of contexts) await each.close();
      await browser.close();
    },
  };
}
