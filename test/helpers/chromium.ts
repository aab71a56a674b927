import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (no browser is downloaded from elsewhere), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/**
 * Whether a browser suite skips, and why: in CI a missing browser is a failure (.ci/run installs
 * it, and the suite's own `before` asserts it), on a developer machine without Chromium the suite
 * is skipped with the reason printed.
 */
export const chromiumSkip: string | false = !hasChromium && !process.env.CI ? `Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)` : false;

/** Headless Chromium that makes no request of its own beyond the test's (no sync, no updates, no QUIC). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
