// Render many Mermaid diagrams to SVG in one headless Chromium (mermaid-cli's renderMermaid).
//
// Parsing is not rendering: Mermaid 12 renders `$$...$$` labels with KaTeX in the browser,
// and invalid TeX stops the whole diagram although `mermaid.parse` accepts it. One browser
// serves every diagram of a batch, because each Chromium start costs about a second.
//
// stdin:  a JSON array of diagram sources.
// stdout: a JSON array, one object per diagram: {ok: true, svg} or {ok: false, error}.
// env:    CHROMIUM (default /usr/bin/chromium).
import { renderMermaid } from '@mermaid-js/mermaid-cli';
import puppeteer from 'puppeteer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const sources = JSON.parse(Buffer.concat(chunks).toString('utf8'));

// A fresh profile, no network: this machine's closed network refuses Chromium's background
// connections, and a shared profile would leak state between runs.
const profile = mkdtempSync(join(tmpdir(), 'stratus-chromium-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  args: [
    '--no-sandbox',
    '--headless',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
});
const results = [];
try {
  for (const src of sources) {
    try {
      const { data } = await renderMermaid(browser, src, 'svg', {
        mermaidConfig: { securityLevel: 'strict' },
        fontEmbed: false,
      });
      results.push({ ok: true, svg: Buffer.from(data).toString('utf8') });
    } catch (err) {
      results.push({ ok: false, error: String(err?.message ?? err).split('\n').slice(0, 4).join(' ') });
    }
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
// Exit only once the write has been flushed: exiting right away truncates a pipe at 64 KiB.
process.stdout.write(JSON.stringify(results), () => process.exit(0));
