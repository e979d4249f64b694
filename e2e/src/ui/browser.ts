// Headless Debian chromium driven by playwright-core, with the launch options known to work on this machine
// (fresh profile, no sandbox, nothing fetched from the network), screenshots saved as test artefacts, and the
// keyboard and phone-width checks the UI specs share.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = (): boolean => existsSync(CHROMIUM);

/** e2e/artifacts/ (gitignored): screenshots of every browser test. */
export const ARTIFACTS = path.join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'artifacts');

export interface Browser { context: BrowserContext; close(): Promise<void> }

export async function startBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot at 1280x800 and at phone width (390x844) as e2e/artifacts/<name>-{wide,phone}.png. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-wide.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** How many CSS pixels the page is wider than a phone-width (390 px) window: 0 when nothing needs a sideways scroll
 *  of the whole page (wide tables scroll inside their own box). Leaves the window at 1280x800. */
export async function phoneOverflow(page: Page): Promise<number> {
  await page.setViewportSize({ width: 390, height: 844 });
  const over = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
  await page.setViewportSize({ width: 1280, height: 800 });
  return over;
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`, as a keyboard-only user would. */
export async function tabTo(page: Page, selector: string, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (await page.evaluate(`!!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`)) return;
  }
  throw new Error(`${max} presses of ${key} never focused ${selector}`);
}
