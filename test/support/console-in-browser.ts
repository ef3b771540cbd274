import { afterAll, beforeAll, describe } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { chromiumInstalled, CHROMIUM_PATH, launchBrowser, signedInConsolePage, type TestBrowser } from './browser.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './test-app.js';

/** Where browser specs save their screenshots. */
export const OUTPUT_DIR = 'test-output';

/**
 * `describe` for the console's browser specs: without Chromium the suite is skipped with a note,
 * except in CI, which installs it (.ci/run), so there a missing browser is a failure.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  if (chromiumInstalled()) return describe(name, suite);
  if (process.env.CI) throw new Error(`No Chromium at ${CHROMIUM_PATH}: .ci/run should have installed it.`);
  console.error(`${name}: SKIPPED, no Chromium at ${CHROMIUM_PATH} (apt-get install chromium).`);
  describe.skip(name, suite);
}

export interface ConsoleInBrowser {
  t: TestApp;
  /** The app's address on loopback. */
  base: string;
  browser: TestBrowser;
  /** A console page, signed in with the admin key on the workflows list unless `signIn: false`. */
  page: Page;
}

/**
 * For the tests of a describe block: the app listening on loopback, a headless Chromium and a
 * console page, all closed after the block. `env` is read when the app starts, so it may name peers
 * that an earlier beforeAll started (a fake LLM server).
 */
export function useConsoleInBrowser(options: { env?: () => Record<string, string>; signIn?: boolean } = {}) {
  const session = {} as ConsoleInBrowser;
  beforeAll(async () => {
    await mkdir(OUTPUT_DIR, { recursive: true });
    session.t = await createTestApp(options.env?.());
    await session.t.app.listen(0, '127.0.0.1');
    session.base = `http://127.0.0.1:${(session.t.app.getHttpServer().address() as { port: number }).port}`;
    session.browser = await launchBrowser();
    if (options.signIn === false) {
      session.page = await session.browser.context.newPage();
      session.page.setDefaultTimeout(15_000);
    } else {
      session.page = await signedInConsolePage(session.browser, session.base, ADMIN_KEY);
    }
  }, 60_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.t?.close();
  });
  return session;
}
