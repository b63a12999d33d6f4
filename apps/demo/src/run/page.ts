/**
 * Run: the chosen model on tfjs (WebGL by default) and on onnxruntime-web (wasm), on the same
 * seeded input: latency of each and their agreement max|a - b| / max|b| (b: onnxruntime-web,
 * float32 on the CPU, the closer of the two to exact arithmetic).
 */
import { maxRelDiff, rng, sizeOf, type CompiledModel, type Model, type TensorData } from '@convzoo/core';
import { describe, loadModel, type Selection } from '../models/catalog.js';
import { h, latestOnly, nextFrame, setStatus } from '../ui/dom.js';
import { mountPicker } from '../ui/picker.js';
import { compileOrtWeb } from './ort-web.js';
import { activeBackend, BROWSER_DEVICES, tfjsBackend, type BrowserDevice } from './tfjs-web.js';
import { timePredict, type Timed } from './timing.js';

/**
 * Agreement required between the two. With float32 textures WebGL differs from float32 CPU code
 * only in accumulation order (about 1e-6 measured on LeNet-5, ResNet-18/50 and GoogLeNet under
 * SwiftShader), so 1e-3 leaves a wide margin; float16 textures keep 11 significant bits: 1e-2.
 */
function tolerance(precision: 'float32' | 'float16' | undefined): number {
  return precision === 'float16' ? 1e-2 : 1e-3;
}

const TIMED_RUNS = 5;
/** Stop timing early once the timed runs have taken this long (software WebGL is slow on big models). */
const TIME_BUDGET_MS = 3000;

/** One sample of uniform [0, 1) values for the model's input, the same for a given seed. */
function seededInput(model: Model, seed: number): TensorData {
  const next = rng(seed, 'demo/run-input');
  const data = new Float32Array(sizeOf(model.inputShape));
  for (let i = 0; i < data.length; i++) data[i] = next();
  return { shape: [1, ...model.inputShape], data };
}

const argmax = (a: Float32Array) => a.reduce((best, v, i) => (v > a[best]! ? i : best), 0);

async function measure(compile: () => Promise<CompiledModel>, input: TensorData): Promise<Timed & { compileMs: number; device: string }> {
  const t0 = performance.now();
  const compiled = await compile();
  const compileMs = performance.now() - t0;
  try {
    return { ...(await timePredict(compiled, input, TIMED_RUNS, TIME_BUDGET_MS)), compileMs, device: compiled.device };
  } finally {
    await compiled.dispose();
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

export function runPage(root: HTMLElement): void {
  const picker = h('div');
  const device = h('select', { name: 'device', 'data-testid': 'tfjs-device-select' }, ...BROWSER_DEVICES.map((d) => h('option', { value: d }, d)));
  const status = h('p', { class: 'status', 'data-testid': 'run-status' });
  const results = h('div');
  let selection: Selection | undefined;

  const run = latestOnly(async (_: void, stale) => {
    if (!selection) return;
    const s = selection;
    results.replaceChildren();
    setStatus(status, 'info', `building ${describe(s)}…`);
    await nextFrame();
    try {
      const model = await loadModel(s);
      const input = seededInput(model, s.seed);
      setStatus(status, 'info', `running on tfjs ${device.value}…`);
      const a = await measure(() => tfjsBackend(device.value as BrowserDevice).compile(model), input);
      const backend = activeBackend();
      setStatus(status, 'info', 'running on onnxruntime-web (wasm)…');
      const b = await measure(() => compileOrtWeb(model), input);
      if (stale()) return;
      const diff = Math.max(...a.outputs.map((o, i) => maxRelDiff(o.data, b.outputs[i]!.data)));
      const tol = tolerance(backend.precision);
      const row = (label: string, f: (t: typeof a) => string) => h('tr', {}, h('th', {}, label), h('td', {}, f(a)), h('td', {}, f(b)));
      results.replaceChildren(
        h('p', {}, 'tfjs backend in use: ', h('strong', { 'data-testid': 'tfjs-backend' }, backend.name),
          backend.precision ? ` (${backend.precision} textures)` : ''),
        h('table', { 'data-testid': 'run-results' },
          h('thead', {}, h('tr', {}, h('th'), h('th', {}, `tfjs (${a.device})`), h('th', {}, `onnxruntime-web (${b.device})`))),
          h('tbody', {},
            row('compile', (t) => ms(t.compileMs)),
            row('first run', (t) => ms(t.firstMs)),
            row('median of later runs', (t) => `${ms(t.medianMs)} (${t.runs} runs)`),
            row('output shape', (t) => `[${t.outputs[0]!.shape.join(', ')}]`),
            row('top-1 class', (t) => String(argmax(t.outputs[0]!.data))))),
        h('p', {}, 'max|a − b| / max|b| = ',
          h('strong', { 'data-testid': 'max-diff', 'data-value': diff }, diff.toExponential(2)),
          ` (a: tfjs ${a.device}, b: onnxruntime-web; tolerance `,
          h('span', { 'data-testid': 'tolerance', 'data-value': tol }, tol.toExponential(0)), '): ',
          h('strong', { class: diff <= tol ? 'status ok' : 'status error', 'data-testid': 'agreement' }, diff <= tol ? 'agree' : 'DIFFER')),
      );
      setStatus(status, 'ok', `ran ${describe(s)} on one seeded input`);
    } catch (e) {
      if (!stale()) setStatus(status, 'error', (e as Error).message);
    }
  });

  root.replaceChildren(h('h2', {}, 'Run'), picker,
    h('p', { class: 'row' }, h('label', {}, 'tfjs device ', device),
      h('button', { type: 'button', 'data-testid': 'run-button', onclick: () => run() }, 'Run on tfjs and onnxruntime-web')),
    status, results);
  mountPicker(picker, (s) => {
    selection = s;
    results.replaceChildren();
    setStatus(status, 'info', `${describe(s)}: press Run`);
  });
}
