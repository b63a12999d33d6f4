/** A few DOM helpers: the demo is plain TypeScript, no UI framework. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/** Creates an element: attributes starting with "on" become listeners, `true` a bare attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The SVG twin of `h`. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** 1234567 -> "1,234,567". */
export const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** 1234567 -> "1.23 M" (for MACs and params in headlines). */
export function fmtSi(n: number): string {
  const units: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, unit] of units) if (Math.abs(n) >= scale) return `${(n / scale).toFixed(2)} ${unit}`;
  return String(n);
}

/** A status line screen readers announce when it changes (aria-live), for `setStatus`. */
export const statusLine = (testId: string): HTMLParagraphElement =>
  h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': testId });

/** A status line: `setStatus(el, 'error', msg)` colours it and keeps the text readable for tests. */
export function setStatus(el: HTMLElement, kind: 'info' | 'ok' | 'error', text: string): void {
  el.className = `status ${kind}`;
  el.textContent = text;
}

/**
 * A progress bar for work in the model worker (hidden when idle); its text goes to the page's
 * aria-live status line, so screen readers hear each step.
 */
export const progressBar = (testId: string): HTMLProgressElement =>
  h('progress', { 'data-testid': testId, 'aria-label': 'progress', hidden: true });

/** Shows `bar` (a step of unknown length without `max`), or hides it with `null`. */
export function setProgress(bar: HTMLProgressElement, p: { readonly value?: number | undefined; readonly max?: number | undefined } | null): void {
  bar.hidden = p === null;
  if (p?.max !== undefined) {
    bar.max = p.max;
    bar.value = p.value ?? 0;
  } else bar.removeAttribute('value');
}

/** Lets the browser paint before a long synchronous step (building VGG's weights takes seconds). */
export const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/**
 * Calls `draw(from, to)` over [0, total) in steps of `size`, one step a frame (the first at once):
 * a long DOM insert split so that no single style and layout task holds the main thread.
 */
export async function drawInFrames(total: number, size: number, draw: (from: number, to: number) => void): Promise<void> {
  for (let from = 0; from < total; from += size) {
    draw(from, Math.min(from + size, total));
    await nextFrame();
  }
}

/** Saves bytes, text or a Blob (made in a worker: no copy here) as a file through a temporary object URL. */
export function download(name: string, data: Uint8Array | string | Blob, type: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Wraps a handler so that only the latest call counts: `stale()` turns true once a newer call
 * starts (a fast second pick must not be overwritten by the first pick's slower result).
 */
export function latestOnly<A>(fn: (arg: A, stale: () => boolean) => Promise<void>): (arg: A) => void {
  let generation = 0;
  return (arg) => {
    const mine = ++generation;
    void fn(arg, () => mine !== generation);
  };
}
