// Where the browser tests find Chromium (Debian's package, never a downloaded browser), and what
// happens when it is missing: the browser tests are skipped with one line saying what to install,
// unless STANDIN_REQUIRE_BROWSER=1 (CI sets it), which makes a missing browser a failure.
import { existsSync } from 'node:fs';

/** The Chromium binary: `STANDIN_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const chromiumPath = process.env['STANDIN_CHROMIUM'] || '/usr/bin/chromium';

const missing = `Chromium not found at ${chromiumPath}: the browser tests need it. Install Debian's package `
  + '(apt-get install -y chromium) or point STANDIN_CHROMIUM at a Chromium binary';

/** A `skip` option for a suite of browser tests: the reason when Chromium is missing and not required. */
export const skipWithoutChromium: string | false =
  existsSync(chromiumPath) || process.env['STANDIN_REQUIRE_BROWSER'] === '1' ? false : missing;

/** Fails with the same line (for a `before` hook, when the suite was not skipped). */
export const assertChromium = (): void => {
  if (!existsSync(chromiumPath)) throw new Error(`${missing} (STANDIN_REQUIRE_BROWSER=1: a missing browser is a failure)`);
};
