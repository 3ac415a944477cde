// Takes screenshots of pages for a person to look at (not a test).
import { chromium } from 'playwright-core';
const [,, url, out, width='1280'] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
await page.goto(url);
await page.screenshot({ path: out, fullPage: false });
await browser.close();
