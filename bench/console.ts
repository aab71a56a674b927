import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/helpers/chromium.js';
import { machine, ROOT, SERVICE_ENTRY, seedChatbot, startProcess } from './harness.js';

/**
 * `npm run bench -- console`: Lighthouse (desktop preset, Debian's Chromium) on the console's
 * main views as a signed-in agent sees them, served by the compiled service with its defaults;
 * and the JavaScript the first view loads, gzipped. Targets: performance, accessibility and best
 * practices ≥ 95 each; first-view JavaScript ≤ 80 KB gzipped.
 */
const VIEWS = ['status', 'chats', 'team', 'notifications', 'supervisor', 'reports'] as const;
const TARGET_SCORE = 95;
const TARGET_FIRST_VIEW_KB = 80;

export async function runConsoleBench(): Promise<boolean> {
  console.log(`console: Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, desktop preset, ${machine()}`);
  const seeded = await seedChatbot({ agents: 12, setStatus: true });
  const service = await startProcess(SERVICE_ENTRY, { DATABASE_URL: seeded.dbPath, PORT: '0', HOST: '127.0.0.1' }, 'inbox-agents listening');
  const profile = mkdtempSync(join(tmpdir(), 'inbox-agents-console-profile-'));
  let chrome: chromeLauncher.LaunchedChrome | null = null;
  try {
    // An admin of the chatbot (so the supervisor's views exist), signed in through a login link as an agent would be.
    const cli = (args: string[]) =>
      JSON.parse(execFileSync(process.execPath, ['dist/cli.js', ...args, '--json'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: seeded.dbPath } }).toString()) as Record<
        string,
        string
      >;
    const admin = seeded.agentIds[0]!;
    cli(['agent', 'add', '--agent', admin, '--chatbot', seeded.chatbotId, '--role', 'admin']);
    const { url: link } = cli(['agent', 'login-link', '--agent', admin, '--chatbot', seeded.chatbotId]);
    const signIn = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await signIn.newPage();
    await page.goto(link!.replace(/^http:\/\/localhost:\d+/, service.url));
    await page.getByRole('button', { name: /^Status/ }).waitFor();
    await signIn.close();

    chrome = await chromeLauncher.launch({
      chromePath: CHROMIUM,
      userDataDir: profile,
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const rows: string[][] = [];
    let met = true;
    let firstViewGzip = 0;
    for (const view of VIEWS) {
      const url = `${service.url}/app/#/${view}`;
      // Keep the signed-in browser's storage: the views are what a signed-in agent sees.
      const result = await lighthouse(
        url,
        { port: chrome.port, output: 'json', logLevel: 'error', disableStorageReset: true, onlyCategories: ['performance', 'accessibility', 'best-practices'] },
        desktopConfig,
      );
      if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
      const { categories, audits } = result.lhr;
      const score = (name: string) => Math.round((categories[name]?.score ?? 0) * 100);
      const scripts = ((audits['network-requests']?.details as { items?: Array<{ url: string; resourceType?: string }> } | undefined)?.items ?? []).filter(
        (item) => item.resourceType === 'Script',
      );
      let gzipBytes = 0;
      for (const script of scripts) gzipBytes += gzipSync(Buffer.from(await (await fetch(script.url)).arrayBuffer()), { level: 9 }).length;
      if (view === 'status') firstViewGzip = gzipBytes;
      const scores = [score('performance'), score('accessibility'), score('best-practices')];
      const ok = scores.every((value) => value >= TARGET_SCORE);
      if (!ok) {
        met = false;
        for (const [id, audit] of Object.entries(audits))
          if (audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative' && audit.scoreDisplayMode !== 'notApplicable')
            console.log(`  ${view}: ${id} ${audit.score} ${audit.title}`);
      }
      rows.push([
        view,
        ...scores.map(String),
        `${(gzipBytes / 1024).toFixed(1)} KB`,
        audits['first-contentful-paint']?.displayValue ?? '-',
        audits['largest-contentful-paint']?.displayValue ?? '-',
        ok ? 'met' : 'MISSED',
      ]);
    }
    const header = ['view', 'performance', 'accessibility', 'best practices', 'JS (gzip)', 'FCP', 'LCP', `≥ ${TARGET_SCORE}`];
    const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index]!.length)));
    const line = (cells: string[]) => `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
    console.log(line(header));
    console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
    for (const row of rows) console.log(line(row));
    const sizeMet = firstViewGzip <= TARGET_FIRST_VIEW_KB * 1024;
    console.log(`first view (My status) JavaScript: ${(firstViewGzip / 1024).toFixed(1)} KB gzipped (target ≤ ${TARGET_FIRST_VIEW_KB} KB): ${sizeMet ? 'met' : 'MISSED'}`);
    return met && sizeMet;
  } finally {
    await chrome?.kill();
    await service.stop();
    rmSync(profile, { recursive: true, force: true });
    rmSync(seeded.dir, { recursive: true, force: true });
  }
}
