/** Pages behind hash routes (#explorer, #run, #classify, #teach, #inspect, #digits, #export); the model choice stays in the query. */
import './style.css';
import { h } from './ui/dom.js';

type Page = (root: HTMLElement) => void | Promise<void>;

// Each page loads its own code (and tfjs / onnxruntime-web only where needed).
const PAGES: Readonly<Record<string, { title: string; load: () => Promise<Page> }>> = {
  explorer: { title: 'Explorer', load: async () => (await import('./explorer/page.js')).explorerPage },
  run: { title: 'Run', load: async () => (await import('./run/page.js')).runPage },
  classify: { title: 'Classify', load: async () => (await import('./classify/page.js')).classifyPage },
  teach: { title: 'Teach', load: async () => (await import('./teach/page.js')).teachPage },
  inspect: { title: 'Inspect', load: async () => (await import('./inspect/page.js')).inspectPage },
  digits: { title: 'Digits', load: async () => (await import('./digits/page.js')).digitsPage },
  export: { title: 'Export', load: async () => (await import('./export/page.js')).exportPage },
};

const nav = document.getElementById('nav')!;
const main = document.getElementById('page')!;

async function route(): Promise<void> {
  const name = location.hash.slice(1) in PAGES ? location.hash.slice(1) : 'explorer';
  nav.replaceChildren(...Object.entries(PAGES).map(([key, p]) =>
    h('a', { href: `#${key}`, 'aria-current': key === name ? 'page' : undefined }, p.title)));
  document.title = `${PAGES[name]!.title} · convzoo demo`;
  main.replaceChildren(h('p', { class: 'hint' }, 'loading…'));
  const page = await PAGES[name]!.load();
  const root = h('section', { 'data-page': name });
  main.replaceChildren(root);
  await page(root);
}

window.addEventListener('hashchange', () => void route());
void route();
