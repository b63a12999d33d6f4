/** Debian's chromium driven by playwright-core: headless, WebGL through SwiftShader, no network of its own. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

/** WebGPU on SwiftShader's Vulkan (a software adapter): correct, not fast. */
const WEBGPU_ARGS = [
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
];

/** A fake camera (a test pattern) granted without a prompt, for getUserMedia. */
const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/**
 * Launches chromium (playwright gives each launch a fresh profile), with a WebGPU adapter when
 * `webgpu` and a fake camera when `media`, or fails saying how to install it.
 */
export async function launchChromium({ webgpu = false, media = false } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the end-to-end tests need Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...(webgpu ? WEBGPU_ARGS : []), ...(media ? MEDIA_ARGS : [])], headless: true });
}

/**
 * A page that records console errors, uncaught exceptions and any request that leaves the
 * local server (the demo must work offline; such requests are also blocked).
 */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])[a-z]+:\/\//, (route) => {
    errors.push(`network: ${route.request().url()}`);
    return route.abort();
  });
  return { page, errors };
}

/**
 * Opens `#hash` of the served app with a query (`arch=resnet18&input=64,64,3`) and waits until
 * the page's status line (data-testid `statusId`) matches `ready`.
 */
export async function openDemo(browser: Browser, baseUrl: string, query: string, hash: string, statusId: string, ready: RegExp, timeout = 60_000) {
  const opened = await openPage(browser);
  await opened.page.goto(`${baseUrl}?${query}#${hash}`);
  await waitForText(opened.page, statusId, ready, timeout);
  return opened;
}

/** Waits until the element's text matches; fails with the text it last had. */
export async function waitForText(page: Page, testId: string, re: RegExp, timeout = 30_000): Promise<string> {
  const el = page.getByTestId(testId);
  try {
    await el.filter({ hasText: re }).waitFor({ timeout });
  } catch {
    throw new Error(`[data-testid=${testId}] never matched ${re}; it reads: ${JSON.stringify(await el.textContent())}`);
  }
  return (await el.textContent())!;
}

/** Every page of the demo, the model in its URL, its status line and what that says once ready; `explorerArch` is the Explorer's model. */
export function demoPages(explorerArch: string) {
  return [
    { hash: 'explorer', query: `arch=${explorerArch}`, status: 'explorer-status', ready: /: \d+ layers$/ },
    { hash: 'run', query: 'arch=lenet5', status: 'run-status', ready: /press Run/ },
    { hash: 'classify', query: 'arch=lenet5', status: 'classify-status', ready: /^ready/ },
    { hash: 'teach', query: '', status: 'teach-status', ready: /name the classes/ },
    { hash: 'inspect', query: '', status: 'inspect-status', ready: /open a model file/ },
    { hash: 'digits', query: '', status: 'digits-status', ready: /^ready/ },
    { hash: 'export', query: 'arch=lenet5', status: 'export-status', ready: /^ready/ },
  ] as const;
}
