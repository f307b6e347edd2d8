/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the page, with the DOM.)
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceName } from '@imagepipeline/config';
import { LATENCY_COLUMNS } from '@imagepipeline/reporting';
import { canRunWith, CHROMIUM } from '@imagepipeline/testing';
import { startLiveStack, type LiveStack } from '@imagepipeline/topology';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const sample = (name: string) => join(root, 'samples', name);
/** Where the test leaves its screenshots (git-ignored); results/examples/web/ keeps chosen ones. */
const SCREENSHOTS = join(root, 'results/browser');
// Flags for a machine with no network: no background connections, no first-run, no component updates.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RUN_TIMEOUT_MS = 60_000;

/** Five ports from `first` on, in the range this test owns (24140-24159). */
function portsFrom(first: number): Record<ServiceName, number> {
  return { orchestrator: first, uploader: first + 1, 'noise-reducer': first + 2, 'background-remover': first + 3, classifier: first + 4 };
}

const result = (page: Page, fileName: string, protocol: string) => page.getByTestId(`image-${fileName}`).getByTestId(`result-${protocol}`);

async function waitSettled(page: Page, fileName: string, protocol: string, state: 'done' | 'failed'): Promise<void> {
  await result(page, fileName, protocol).and(page.locator(`[data-state="${state}"]`)).waitFor({ timeout: RUN_TIMEOUT_MS });
}

/** Waits until the result's cut-out image has loaded; its width in pixels. */
async function cutoutLoaded(resultPanel: Locator): Promise<number> {
  const cutout = resultPanel.getByTestId('cutout');
  await expect.poll(() => cutout.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
  return cutout.evaluate((img: HTMLImageElement) => img.naturalWidth);
}

// The built web app in front of both local topologies (real services, real models), in Chromium.
describe.runIf(canRunWith(CHROMIUM, 'the live page in Chromium (tools/browser)'))('the live page in a real browser', () => {
  let logDir: string;
  let stack: LiveStack;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'live-page-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startLiveStack({ root, logDir, ports: { grpc: portsFrom(24140), rest: portsFrom(24150) }, webPort: 0, log: () => undefined });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(stack.url);
  });
  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('shows a sample\'s label and its cut-out', async () => {
    await page.getByTestId('file-input').setInputFiles(sample('coffee.png'));
    await page.getByTestId('mode-grpc').check();
    await page.getByTestId('start').click();
    await waitSettled(page, 'coffee.png', 'grpc', 'done');

    const card = result(page, 'coffee.png', 'grpc');
    await expect.poll(() => card.getByTestId('label').textContent()).toContain('espresso');
    expect(await card.getByTestId('top-k').locator('li').count()).toBe(5);
    expect(await cutoutLoaded(card)).toBe(600);
    expect(Number(await page.getByTestId('timeline-grpc').getAttribute('data-bar-count'))).toBe(4);
    await page.screenshot({ path: join(SCREENSHOTS, 'one-image-grpc.png'), fullPage: true });
  });

  it('races both protocols on the same images, each with its timeline and latency CSV', async () => {
    await page.getByTestId('file-input').setInputFiles([sample('chelsea.png'), sample('rocket.jpg')]);
    await page.getByTestId('mode-race').check();
    await page.getByTestId('start').click();
    for (const protocol of ['grpc', 'rest']) {
      for (const name of ['chelsea.png', 'rocket.jpg']) await waitSettled(page, name, protocol, 'done');
    }
    await page.getByTestId('run').and(page.locator('[data-state="finished"]')).waitFor({ timeout: RUN_TIMEOUT_MS });
    for (const protocol of ['grpc', 'rest']) {
      expect(Number(await page.getByTestId(`timeline-${protocol}`).getAttribute('data-bar-count'))).toBe(8);
      const csvUrl = await page.getByTestId(`csv-${protocol}`).getAttribute('href');
      const csv = await (await fetch(new URL(csvUrl!, stack.url))).text();
      expect(csv.split(/\r?\n/)[0]).toBe(LATENCY_COLUMNS.join(','));
    }
    expect(await result(page, 'chelsea.png', 'rest').getByTestId('label').textContent()).toMatch(/cat/);
    await page.screenshot({ path: join(SCREENSHOTS, 'race.png'), fullPage: true });
  });

  it('shows a text file\'s error beside it while the other image finishes', async () => {
    await page.getByTestId('file-input').setInputFiles([
      { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are notes, not pixels\n') },
      { name: 'astronaut.png', mimeType: 'image/png', buffer: readFileSync(sample('astronaut.png')) },
    ]);
    await page.getByTestId('mode-rest').check();
    await page.getByTestId('start').click();
    await waitSettled(page, 'notes.png', 'rest', 'failed');
    await waitSettled(page, 'astronaut.png', 'rest', 'done');
    await cutoutLoaded(result(page, 'astronaut.png', 'rest'));
    const error = result(page, 'notes.png', 'rest').getByTestId('error');
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain('IMAGE_UNREADABLE');
    await error.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'error.png'), fullPage: true });
  });

  it('works with the keyboard alone: protocol chosen with arrows, started with Enter', async () => {
    // The file chooser is the operating system's; the selection is set, the rest is keys.
    await page.getByTestId('file-input').setInputFiles(sample('coffee.png'));
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    const tabTo = async (testId: string) => {
      for (let tabs = 0; tabs < 30 && (await focused()) !== testId; tabs += 1) await page.keyboard.press('Tab');
      expect(await focused()).toBe(testId);
    };
    await page.getByTestId('mode-grpc').check();
    await tabTo('mode-grpc');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('mode-rest').isChecked()).toBe(true);
    await tabTo('start');
    await page.keyboard.press('Enter');
    await waitSettled(page, 'coffee.png', 'rest', 'done');
  });

  it('keeps the built page free of outside requests', () => {
    const html = readFileSync(join(root, 'dist/apps/web/public/index.html'), 'utf8');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });
});
