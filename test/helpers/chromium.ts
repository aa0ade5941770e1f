import { type Browser, chromium } from 'playwright-core';
import { requireBinary } from './require-binary.ts';

/** Debian's Chromium: the only browser the tests drive (never a downloaded one). */
const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests run here; under `CI=true` a missing Chromium fails instead. */
export const hasChromium = requireBinary(CHROMIUM, 'apt-get install -y chromium');

/** Headless Chromium without a sandbox, and without any network of its own (updates, sync). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
