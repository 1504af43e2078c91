// Lighthouse's accessibility and best-practices audits of several pages in one Chromium, for
// tests/browser/test_lighthouse.py: `node audit.mjs PRESET URL...` prints one JSON line per
// page: {url, status, scores, failed: [{id, title}]}. PRESET is "mobile" or "desktop".
// One browser for every page (Lighthouse's user flow), not one start per page.
import puppeteer from 'puppeteer-core';
import {startFlow, desktopConfig} from 'lighthouse';

const [preset, ...urls] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  const config = preset === 'desktop' ? desktopConfig : undefined;
  const flags = {onlyCategories: ['accessibility', 'best-practices']};
  const flow = await startFlow(page, {config, flags});
  for (const url of urls) await flow.navigate(url);
  const result = await flow.createFlowResult();
  for (const step of result.steps) {
    const lhr = step.lhr;
    const failed = [];
    for (const category of Object.values(lhr.categories)) {
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failed.push({id: audit.id, title: audit.title});
        }
      }
    }
    const scores = Object.fromEntries(
      Object.entries(lhr.categories).map(([key, c]) => [key, c.score]));
    console.log(JSON.stringify({url: lhr.finalDisplayedUrl, scores, failed,
      error: lhr.runtimeError ? lhr.runtimeError.message : null}));
  }
} finally {
  await browser.close();
}
