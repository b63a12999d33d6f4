/**
 * Run: the chosen model on each chosen device (tfjs webgl / webgpu / wasm / cpu, onnxruntime-web
 * wasm / webgpu), on the same seeded input: what ran, latency, and agreement with the first
 * device, max|a - b| / max|b|. Addressable: `?arch=…&devices=tfjs-webgl,ort-wasm&run=1#run`
 * runs at once and, when every device has finished, writes a JSON report into #run-report
 * (`threads=N` sets onnxruntime-web's wasm threads, `runs=N` times N predicts, 1 to 200, within
 * N seconds, instead of 5 within 3 s). The model is built, compiled and run in
 * the model worker, on every device (WebGL through an OffscreenCanvas there), so the page stays
 * responsive on VGG and ResNet-152.
 */
import { maxRelDiff } from '@convzoo/core';
import { describe, type Selection } from '../models/catalog.js';
import { ask } from '../models/model-client.js';
import type { Progress } from '../models/model-worker.js';
import { h, latestOnly, progressBar, setProgress, setStatus, statusLine } from '../ui/dom.js';
import { mountPicker } from '../ui/picker.js';
import { isRunDevice, RUN_DEVICES, type RunDevice } from './device-list.js';
import type { Timed } from './timing.js';

/**
 * Agreement required between devices. With float32 arithmetic (WebGL float32 textures, WebGPU,
 * wasm) two devices differ only in accumulation order (about 1e-6 measured on LeNet-5,
 * ResNet-18/50 and GoogLeNet under SwiftShader), so 1e-3 leaves a wide margin; WebGL float16
 * textures keep 11 significant bits: 1e-2.
 */
const tolerance = (ran: readonly string[]): number => (ran.some((d) => d.includes('float16')) ? 1e-2 : 1e-3);

const TIMED_RUNS = 5;
/** Stop timing early once the timed runs have taken this long (software WebGL / WebGPU is slow on big models). */
const TIME_BUDGET_MS = 3000;
const DEFAULT_DEVICES: readonly RunDevice[] = ['tfjs-webgl', 'ort-wasm'];

const argmax = (a: Float32Array) => a.reduce((best, v, i) => (v > a[best]! ? i : best), 0);

type Result = { requested: RunDevice } & ({ ok: true; device: string; compileMs: number; timed: Timed } | { ok: false; error: string });

/** `runs=N` from the query (whole numbers 1 to 200), else undefined. */
function queryRuns(q: URLSearchParams): number | undefined {
  const n = Number(q.get('runs'));
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : undefined;
}

async function measure(requested: RunDevice, s: Selection, threads: number | undefined, runs: number | undefined, onProgress: (p: Progress) => void): Promise<Result> {
  try {
    const timing = runs === undefined ? { runs: TIMED_RUNS, budgetMs: TIME_BUDGET_MS } : { runs, budgetMs: runs * 1000 };
    const r = await ask({ kind: 'run', selection: s, device: requested, threads, ...timing }, onProgress);
    return { requested, ok: true, ...r };
  } catch (e) {
    return { requested, ok: false, error: (e as Error).message };
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/** The devices the query lists (`devices=a,b`), in its order, or the defaults. */
function queryDevices(q: URLSearchParams): RunDevice[] {
  const listed = (q.get('devices') ?? '').split(',').filter(isRunDevice);
  return listed.length > 0 ? listed : [...DEFAULT_DEVICES];
}

export function runPage(root: HTMLElement): void {
  const query = new URLSearchParams(location.search);
  const chosen = queryDevices(query);
  const threads = Number(query.get('threads')) || undefined;
  const runs = queryRuns(query);
  const boxes = RUN_DEVICES.map((d) => {
    const box = h('input', { type: 'checkbox', name: 'device', value: d, 'data-testid': `device-${d}` });
    box.checked = chosen.includes(d);
    return { d, box };
  });
  const picker = h('div');
  const status = statusLine('run-status');
  const progress = progressBar('run-progress');
  const results = h('div');
  const report = h('pre', { id: 'run-report', 'data-testid': 'run-report', hidden: true });
  let selection: Selection | undefined;

  // The query's order first (its first device is the reference), then any ticked since.
  const devices = () => {
    const ticked = boxes.filter((b) => b.box.checked).map((b) => b.d);
    return [...chosen.filter((d) => ticked.includes(d)), ...ticked.filter((d) => !chosen.includes(d))];
  };

  const run = latestOnly(async (_: void, stale) => {
    if (!selection) return;
    const s = selection;
    const list = devices();
    results.replaceChildren();
    report.hidden = true;
    report.textContent = '';
    if (list.length === 0) return setStatus(status, 'error', 'choose at least one device');
    setStatus(status, 'info', `building ${describe(s)}…`);
    try {
      await ask({ kind: 'build', selection: s });
      const done: Result[] = [];
      for (const [i, d] of list.entries()) {
        const step = (p: Progress) => {
          if (stale()) return;
          setProgress(progress, { value: i, max: list.length });
          setStatus(status, 'info', `${d} (${i + 1} of ${list.length}): ${p.text}`);
        };
        step({ text: 'starting…' });
        done.push(await measure(d, s, threads, runs, step));
        if (stale()) return;
      }
      setProgress(progress, null);
      const reference = done.find((r) => r.ok);
      const diffOf = (r: Result) => (r.ok && reference?.ok
        ? Math.max(...r.timed.outputs.map((o, i) => maxRelDiff(o.data, reference.timed.outputs[i]!.data)))
        : undefined);
      const ran = done.flatMap((r) => (r.ok ? [r.device] : []));
      const tol = tolerance(ran);
      const worst = Math.max(0, ...done.map((r) => diffOf(r) ?? 0));
      const cell = (r: Result, f: (t: Extract<Result, { ok: true }>) => string) => h('td', {}, r.ok ? f(r) : '—');
      const row = (label: string, f: (t: Extract<Result, { ok: true }>) => string) => h('tr', {}, h('th', {}, label), ...done.map((r) => cell(r, f)));
      results.replaceChildren(
        h('table', { 'data-testid': 'run-results' },
          h('thead', {}, h('tr', {}, h('th', {}, 'requested'), ...done.map((r) => h('th', {}, r.requested)))),
          h('tbody', {},
            h('tr', {}, h('th', {}, 'ran on'), ...done.map((r) => h('td', { 'data-testid': `ran-${r.requested}` }, r.ok ? r.device : `not run: ${r.error}`))),
            row('compile', (r) => ms(r.compileMs)),
            row('first run', (r) => ms(r.timed.firstMs)),
            row('median of later runs', (r) => `${ms(r.timed.medianMs)} (${r.timed.runs} runs)`),
            row('output shape', (r) => `[${r.timed.outputs[0]!.shape.join(', ')}]`),
            row('top-1 class', (r) => String(argmax(r.timed.outputs[0]!.data))),
            row(`max|a − b| / max|b| (b: ${reference?.requested ?? '—'})`, (r) => diffOf(r)!.toExponential(2)))),
        h('p', {}, 'worst agreement with the first device: ',
          h('strong', { 'data-testid': 'max-diff', 'data-value': worst }, worst.toExponential(2)),
          ' (tolerance ', h('span', { 'data-testid': 'tolerance', 'data-value': tol }, tol.toExponential(0)), '): ',
          h('strong', { class: worst <= tol ? 'status ok' : 'status error', 'data-testid': 'agreement' }, worst <= tol ? 'agree' : 'DIFFER')),
      );
      report.textContent = JSON.stringify(done.map((r) => (r.ok
        ? { requested: r.requested, device: r.device, compileMs: r.compileMs, firstMs: r.timed.firstMs, medianMs: r.timed.medianMs, maxRelDiff: diffOf(r) }
        : { requested: r.requested, error: r.error })));
      report.hidden = false;
      const failed = done.filter((r) => !r.ok).map((r) => r.requested);
      if (failed.length > 0) setStatus(status, 'error', `ran ${describe(s)}; not available: ${failed.join(', ')}`);
      else setStatus(status, 'ok', `ran ${describe(s)} on one seeded input`);
    } catch (e) {
      if (stale()) return;
      setProgress(progress, null);
      setStatus(status, 'error', (e as Error).message);
    }
  });

  root.replaceChildren(h('h2', {}, 'Run'), picker,
    h('p', { class: 'row' }, 'Devices ', ...boxes.map(({ d, box }) => h('label', {}, box, ` ${d} `)),
      h('button', { type: 'button', 'data-testid': 'run-button', onclick: () => run() }, 'Run')),
    h('p', { class: 'hint' }, 'WebGPU needs a browser with an adapter; a device that cannot run here says why.'),
    status, progress, results, report);
  mountPicker(picker, (s) => {
    selection = s;
    results.replaceChildren();
    setStatus(status, 'info', `${describe(s)}: press Run`);
  }, () => {
    selection = undefined;
    results.replaceChildren();
    setStatus(status, 'error', 'nothing to run: fix the option marked above');
  });
  if (query.get('run') === '1') run();
}
