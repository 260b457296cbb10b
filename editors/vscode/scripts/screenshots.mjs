// Drives a code-server (VS Code in the browser) with headless Chromium through
// puppeteer-core and takes the extension's screenshots. Started by screenshots.sh,
// which sets up code-server, the extension and the workspace first.
//
//   node screenshots.mjs
//
// Environment (all set by screenshots.sh):
//   CS_URL          the workbench URL, e.g. http://127.0.0.1:8080/?folder=/tmp/x/work
//   CS_FILE         the .plan file to open, relative to the folder (1-kenko.plan)
//   CS_FILE_PATH    its path on disk (to find the line of the first `定量評価: C`)
//   CS_OUT          the folder the PNGs go to
//   CS_FACTS        the JSON file the observations are written to
//   PUPPETEER_DIR   a folder whose node_modules holds puppeteer-core
//   CHROMIUM        the Chromium binary
//
// Exit status: 0 when the four screenshots were taken, plancheck diagnostics were seen,
// the hover's rule name linked its https page and the status bar showed plancheck; 1
// otherwise. The facts file is written in both cases (as far as it got).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`screenshots.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
};
const url = env('CS_URL');
const fileName = env('CS_FILE');
const filePath = env('CS_FILE_PATH');
const outDir = env('CS_OUT');
const factsFile = env('CS_FACTS');
const puppeteer = createRequire(join(env('PUPPETEER_DIR'), 'package.json'))('puppeteer-core');
const chromium = env('CHROMIUM');

const facts = { ok: false, steps: [] };
const log = (message) => {
  const line = `[${new Date().toISOString().slice(11, 19)}] ${message}`;
  facts.steps.push(line);
  console.log(line);
};
const saveFacts = () => writeFileSync(factsFile, `${JSON.stringify(facts, null, 2)}\n`);

// The stated grade the hover and quick fix screenshots point at: the first `定量評価: C`.
const lines = readFileSync(filePath, 'utf8').split('\n');
const gradeIndex = lines.findIndex((line) => /^\s*定量評価:\s*C\s*$/.test(line));
if (gradeIndex < 0) {
  console.error(`screenshots.mjs: no "定量評価: C" line in ${filePath}`);
  process.exit(2);
}
const gradeLine = gradeIndex + 1;
const gradeColumn = lines[gradeIndex].indexOf('C') + 1;
facts.target = { line: gradeLine, column: gradeColumn, text: lines[gradeIndex].trim() };

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--no-first-run',
    '--lang=ja-JP',
    '--window-size=1280,800',
  ],
  defaultViewport: { width: 1280, height: 800, deviceScaleFactor: 1 },
});

/** Text of the first element matching selector, or '' (runs in the page). */
const textOf = (page, selector) =>
  page.evaluate((sel) => globalThis.document.querySelector(sel)?.textContent ?? '', selector);

/** Waits until fn (run in the page) returns a truthy value; returns it. */
const until = async (page, what, fn, arg, timeout = 60000) => {
  try {
    const handle = await page.waitForFunction(fn, { timeout, polling: 250 }, arg);
    return await handle.jsonValue();
  } catch (error) {
    throw new Error(`timed out waiting for ${what}: ${String(error)}`, { cause: error });
  }
};

const visible = (selector) =>
  `(() => { const e = document.querySelector(${JSON.stringify(selector)});
     return !!e && e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden'; })()`;

/** Runs a workbench command through the command palette (F1), by its label. */
const runCommand = async (page, label) => {
  await page.keyboard.press('F1');
  await until(page, 'the command palette', visible('.quick-input-widget .quick-input-box input'));
  // One input event for the whole label (typing it key by key filters the list each time).
  await page.keyboard.sendCharacter(label);
  await until(page, `"${label}" in the command palette`,
    `[...document.querySelectorAll('.quick-input-list .monaco-list-row')].some(r => r.textContent.includes(${JSON.stringify(label.split(': ')[1] ?? label)}))`);
  await sleep(300);
  await page.keyboard.press('Enter');
  await sleep(700);
};

const shot = async (page, name) => {
  const path = join(outDir, name);
  await page.screenshot({ path });
  log(`wrote ${path}`);
};

let exitCode = 1;
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => log(`page error: ${String(error).slice(0, 200)}`));

  log(`open ${url}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120000 });
  await until(page, 'the workbench', visible('.monaco-workbench .part.editor'), undefined, 120000);
  await until(page, 'the explorer', `document.querySelectorAll('.explorer-folders-view .monaco-list-row').length > 0`,
    undefined, 120000);
  await sleep(3000);

  // Quick Open (Ctrl+P), the file name, Enter.
  log(`quick open ${fileName}`);
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyP');
  await page.keyboard.up('Control');
  await until(page, 'quick open', visible('.quick-input-widget .quick-input-box input'));
  await page.keyboard.sendCharacter(fileName);
  await until(page, 'the file in quick open',
    `[...document.querySelectorAll('.quick-input-list .monaco-list-row')].some(r => r.textContent.includes(${JSON.stringify(fileName)}))`);
  await page.keyboard.press('Enter');
  await until(page, 'the editor tab',
    `[...document.querySelectorAll('.tabs-container .tab.active')].some(t => t.textContent.includes(${JSON.stringify(fileName)}))`);
  await until(page, 'the editor text', `document.querySelectorAll('.editor-instance .view-line').length > 10`);

  facts.languageMode = await until(page, 'the language mode in the status bar',
    `(() => { const t = document.querySelector('#status\\\\.editor\\\\.mode')?.textContent?.trim(); return t || false; })()`);
  log(`language mode: ${facts.languageMode}`);

  // Diagnostics: the status bar's problem counts turn non-zero.
  log('wait for diagnostics');
  facts.problemsStatus = await until(page, 'diagnostics (problem counts in the status bar)',
    `(() => { const e = document.querySelector('#status\\\\.problems');
       const label = e?.getAttribute('aria-label') ?? e?.querySelector('a')?.getAttribute('aria-label') ?? '';
       return /[1-9]/.test(e?.textContent ?? '') ? (label || e.textContent.trim()) : false; })()`, undefined, 90000);
  log(`status bar: ${facts.problemsStatus}`);
  await sleep(2000);

  // Put the cursor on the stated grade: Ctrl+G line, End, Left (just before the grade).
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyG');
  await page.keyboard.up('Control');
  await until(page, 'go to line', visible('.quick-input-widget .quick-input-box input'));
  await page.keyboard.type(String(gradeLine), { delay: 10 });
  await sleep(300);
  await page.keyboard.press('Enter');
  await sleep(500);
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await sleep(500);
  facts.cursor = (await textOf(page, '#status\\.editor\\.selection')).trim();
  log(`cursor: ${facts.cursor}`);

  // a. the Problems panel (Ctrl+Shift+M).
  log('open the Problems panel');
  await page.keyboard.down('Control');
  await page.keyboard.down('Shift');
  await page.keyboard.press('KeyM');
  await page.keyboard.up('Shift');
  await page.keyboard.up('Control');
  await until(page, 'rows in the Problems panel', `document.querySelectorAll('.markers-panel .monaco-list-row').length > 1`);
  // Only this file's problems (the server checks the whole folder): the filter box.
  const filterBox = '.part.panel .viewpane-filter input, .part.panel input[placeholder^="Filter"]';
  await until(page, 'the filter box of the Problems panel', `!!document.querySelector(${JSON.stringify(filterBox)})`);
  await page.click(filterBox);
  await sleep(300);
  await page.keyboard.sendCharacter(fileName);
  await until(page, 'the Problems panel filtered to the file',
    `(() => { const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')];
       return rows.length > 1 && rows.every(r => !/ in file /.test(r.getAttribute('aria-label') ?? '') || (r.getAttribute('aria-label') ?? '').includes(${JSON.stringify(fileName)})); })()`);
  await sleep(1500);
  const problemRows = await page.evaluate(() =>
    [...globalThis.document.querySelectorAll('.markers-panel .monaco-list-row')].map((row) => ({
      label: row.getAttribute('aria-label') ?? '',
      text: row.textContent ?? '',
    })),
  );
  facts.problemsPanelRows = problemRows.map((row) => row.label || row.text);
  facts.problemsPanelBadge = (await textOf(page, '.panel .composite-bar .badge-content')).trim();
  facts.problemsFromPlancheck = problemRows.filter((row) => /generated by plancheck/.test(row.label)).length;
  facts.problemsInFile = facts.problemsPanelRows.find((row) => / in file /.test(row)) ?? '';
  log(`Problems panel: "${facts.problemsInFile}", ${problemRows.length} rows shown, ${facts.problemsFromPlancheck} of them from plancheck, badge ${facts.problemsPanelBadge}`);
  // Move focus back to the editor so the cursor line shows.
  await page.keyboard.down('Control');
  await page.keyboard.press('Digit1');
  await page.keyboard.up('Control');
  await sleep(800);
  await shot(page, 'diagnostics.png');

  // b. the hover on the grade (Ctrl+K Ctrl+I = editor.action.showHover), panel closed.
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyJ');
  await page.keyboard.up('Control');
  await sleep(800);
  log('show the hover');
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyK');
  await page.keyboard.press('KeyI');
  await page.keyboard.up('Control');
  facts.hover = await until(page, 'the hover',
    `(() => { const hs = [...document.querySelectorAll('.monaco-hover')].filter(h => h.offsetParent !== null && !h.classList.contains('hidden'));
       const t = hs.map(h => h.innerText).join('\\n---\\n').trim(); return t.length > 0 ? t : false; })()`);
  await sleep(1500);
  facts.hover = await page.evaluate(() =>
    [...globalThis.document.querySelectorAll('.monaco-hover')]
      .filter((h) => h.offsetParent !== null && !h.classList.contains('hidden'))
      .map((h) => h.innerText)
      .join('\n---\n')
      .trim(),
  );
  log(`hover: ${facts.hover.replace(/\s+/g, ' ').slice(0, 300)}`);
  // The rule's name in the hover is a plain link to its page (no command: link, which a hover may not run).
  facts.hoverRuleLinks = await page.evaluate(() =>
    [...globalThis.document.querySelectorAll('.monaco-hover a')]
      .map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? '')
      .filter((href) => href.includes('/docs/rules/')),
  );
  log(`hover rule links: ${JSON.stringify(facts.hoverRuleLinks)}`);
  await shot(page, 'hover.png');
  await page.keyboard.press('Escape');
  await sleep(500);

  // c. the quick fix menu (Ctrl+.).
  log('open the quick fix menu');
  await page.keyboard.down('Control');
  await page.keyboard.press('Period');
  await page.keyboard.up('Control');
  facts.quickFixes = await until(page, 'the quick fix menu',
    `(() => { const rows = [...document.querySelectorAll('.action-widget .monaco-list-row')].filter(r => r.offsetParent !== null);
       return rows.length > 0 ? rows.map(r => r.textContent.trim()) : false; })()`);
  await sleep(1000);
  log(`quick fixes: ${JSON.stringify(facts.quickFixes)}`);
  await shot(page, 'quickfix.png');
  await page.keyboard.press('Escape');
  await sleep(500);

  // d. the Outline view: collapse the folder section so the outline gets the room.
  log('open the Outline view');
  await runCommand(page, 'Explorer: Focus on Outline View');
  log('outline command run');
  await until(page, 'outline rows', `document.querySelectorAll('.outline-element').length > 3`);
  log('outline rows there');
  const folderHeaderExpanded = await page.evaluate(() => {
    const header = globalThis.document.querySelector('.explorer-folders-view')?.closest('.pane')?.querySelector('.pane-header');
    return header?.getAttribute('aria-expanded') === 'true';
  });
  if (folderHeaderExpanded) {
    await page.evaluate(() => {
      const header = globalThis.document.querySelector('.explorer-folders-view')?.closest('.pane')?.querySelector('.pane-header');
      header?.click();
    });
  }
  await sleep(1000);
  // A wider side bar, so that the outline labels are not cut (View: Increase Current View Size).
  for (let i = 0; i < 3; i++) {
    await runCommand(page, 'View: Increase Current View Size');
  }
  log('side bar widened');
  await sleep(1000);
  facts.outline = await page.evaluate(() =>
    [...globalThis.document.querySelectorAll('.outline-pane .monaco-list-row, .outline .monaco-list-row, [id^="workbench.view.explorer"] .monaco-list-row')]
      .filter((row) => row.querySelector('.outline-element'))
      .map((row) => `${'  '.repeat(Number(row.getAttribute('aria-level') ?? '1') - 1)}${row.querySelector('.outline-element')?.textContent?.trim() ?? ''}`),
  );
  log(`outline: ${facts.outline.length} rows shown`);
  await shot(page, 'outline.png');

  facts.problemsStatusAtEnd = await page.evaluate(() => {
    const e = globalThis.document.querySelector('#status\\.problems');
    return e?.getAttribute('aria-label') ?? e?.querySelector('a')?.getAttribute('aria-label') ?? e?.textContent?.trim() ?? '';
  });
  // The extension's status-bar item says the server runs.
  facts.statusBar = await page.evaluate(() =>
    [...globalThis.document.querySelectorAll('.statusbar-item')].map((e) => e.getAttribute('aria-label') ?? e.textContent?.trim() ?? '').filter((t) => /plancheck/.test(t)),
  );
  log(`status bar: ${JSON.stringify(facts.statusBar)}`);
  facts.ok =
    facts.problemsFromPlancheck > 0 &&
    facts.hoverRuleLinks.some((href) => href.startsWith('https://')) &&
    facts.statusBar.length > 0;
  exitCode = facts.ok ? 0 : 1;
} catch (error) {
  facts.error = String(error);
  console.error(`screenshots.mjs: ${String(error)}`);
  try {
    const pages = await browser.pages();
    await pages.at(-1)?.screenshot({ path: join(outDir, 'failure.png') });
    console.error(`screenshots.mjs: the page at the failure: ${join(outDir, 'failure.png')}`);
  } catch {
    // no page to show
  }
} finally {
  saveFacts();
  await browser.close();
}
process.exit(exitCode);
