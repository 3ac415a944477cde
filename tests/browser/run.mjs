// What the page-checking scripts share: Chromium launched the way every
// browser test launches it, closed whatever happens, and the problems
// found printed (exit status 1) or the one line saying all is well.
import { chromium } from 'playwright-core';

export async function withBrowser(fn) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    await fn(browser);
  } finally {
    await browser.close();
  }
}

export function report(problems, ok) {
  if (problems.length) {
    console.log(problems.join('\n'));
    process.exitCode = 1;
  } else {
    console.log(ok);
  }
}
