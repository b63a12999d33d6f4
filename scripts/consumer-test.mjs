#!/usr/bin/env node
/**
 * The consumer test (CI): pack every publishable package, install the tarballs with plain npm
 * into a fresh project outside the workspace, run the README example there (tfjs-wasm and
 * ort-cpu must agree), use @convzoo/onnx and both @convzoo/backend-ort entries (node, and web
 * on onnxruntime-web's wasm build, which runs in Node too), run the installed `convzoo` binary,
 * and bundle browser entries with Vite to prove that one architecture carries no other family
 * and that the ONNX codec carries no runtime.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'convzoo-consumer-'));
const step = (msg) => process.stderr.write(`consumer-test: ${msg}\n`);
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });

try {
  const packages = readdirSync(join(root, 'packages')).filter((d) => !JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')).private);
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const p of packages) sh('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', p) });
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs, f));
  step(`packed ${files.length} packages`);

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // onnxruntime-web is backend-ort/web's optional peer: a browser user installs it.
  const ortWeb = JSON.parse(readFileSync(join(root, 'packages/backend-ort/package.json'), 'utf8')).peerDependencies['onnxruntime-web'];
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, `onnxruntime-web@${ortWeb}`], {
    cwd: app, env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_workspaces: 'false' },
  });
  step('installed the tarballs with npm');

  // The README example, verbatim, plus the agreement check.
  writeFileSync(join(app, 'example.mjs'), `
import { resnet18 } from '@convzoo/arch-resnet';
import { tfjs } from '@convzoo/backend-tfjs';
import { ort } from '@convzoo/backend-ort';
import { maxRelDiff } from '@convzoo/core';
const model = resnet18({ numClasses: 10, seed: 0 });
console.log(model.summary().toString());
const a = await tfjs({ device: 'wasm' }).compile(model);
const b = await ort({ device: 'cpu' }).compile(model);
const x = { shape: [1, 224, 224, 3], data: new Float32Array(224 * 224 * 3) };
for (let i = 0; i < x.data.length; i++) x.data[i] = Math.sin(i);
const [ya] = await a.predict(x), [yb] = await b.predict(x);   // same numbers
const diff = maxRelDiff(ya.data, yb.data);
console.log(JSON.stringify({ devices: [a.device, b.device], shape: ya.shape, diff }));
if (!(diff <= 1e-4)) { console.error('tfjs-wasm and ort-cpu disagree: ' + diff); process.exit(1); }
await a.dispose(); await b.dispose();
`);
  const out = sh('node', ['example.mjs'], { cwd: app });
  const result = JSON.parse(out.trim().split('\n').at(-1));
  if (!out.includes('Trainable params: 11,181,642')) throw new Error('the README example printed an unexpected summary');
  step(`README example: tfjs ${result.devices[0]} vs ort ${result.devices[1]}, max|a-b|/max|b| = ${result.diff.toExponential(2)}`);

  // The ONNX codec without a runtime, its file helpers, and the browser entry of the backend.
  writeFileSync(join(app, 'onnx.mjs'), `
import { lenet5 } from '@convzoo/arch-lenet';
import { maxRelDiff } from '@convzoo/core';
import { exportOnnx, importOnnx } from '@convzoo/onnx';
import { exportOnnxFile, importOnnxFile } from '@convzoo/onnx/node';
import { ort } from '@convzoo/backend-ort';
import { ort as ortWeb } from '@convzoo/backend-ort/web';
const model = lenet5({ variant: 'modern', seed: 1 });
const again = importOnnx(exportOnnx(model));
exportOnnxFile(model, 'lenet5.onnx');
const fromFile = importOnnxFile('lenet5.onnx');
const x = { shape: [2, 32, 32, 1], data: Float32Array.from({ length: 2048 }, (_, i) => Math.cos(i)) };
const node = await ort({ device: 'cpu' }).compile(model);
const web = await ortWeb({ device: 'wasm', threads: 1 }).compile(again);
const file = await ort({ device: 'cpu' }).compile(fromFile);
const [a] = await node.predict(x), [b] = await web.predict(x), [c] = await file.predict(x);
console.log(JSON.stringify({ devices: [node.device, web.device], web: maxRelDiff(b.data, a.data), file: maxRelDiff(c.data, a.data) }));
`);
  const onnxOut = JSON.parse(sh('node', ['onnx.mjs'], { cwd: app }).trim().split('\n').at(-1));
  if (!(onnxOut.web <= 1e-5 && onnxOut.file <= 1e-5) || onnxOut.devices.join() !== 'cpu,wasm') throw new Error(`@convzoo/onnx / backend-ort entries disagree: ${JSON.stringify(onnxOut)}`);
  step(`@convzoo/onnx round trip on backend-ort (node cpu) and backend-ort/web (wasm): ${onnxOut.web.toExponential(2)}, file ${onnxOut.file.toExponential(2)}`);

  const help = sh(join(app, 'node_modules', '.bin', 'convzoo'), ['summary', 'lenet5', '--json'], { cwd: app });
  if (JSON.parse(help).params.trainable !== 60_850) throw new Error('installed convzoo summary lenet5 gave the wrong count');
  step('installed convzoo binary runs');

  // Tree-shaking: a browser entry importing one architecture must not carry the others, and the
  // ONNX codec must not carry a runtime.
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const bundleOf = (name, code) => {
    const dir = join(app, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./entry.js"></script>');
    writeFileSync(join(dir, 'entry.js'), code);
    sh('node', [vite, 'build', '--logLevel', 'error', '--outDir', 'web'], { cwd: dir });
    return readdirSync(join(dir, 'web', 'assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, 'web', 'assets', f), 'utf8')).join('\n');
  };
  const lenetOnly = bundleOf('lenet-only', "import { lenet5 } from '@convzoo/arch-lenet';\ndocument.title = String(lenet5().summary().params.total);\n");
  const withOnnx = bundleOf('lenet-onnx', "import { lenet5 } from '@convzoo/arch-lenet';\nimport { exportOnnx } from '@convzoo/onnx';\ndocument.title = String(exportOnnx(lenet5()).length);\n");
  for (const [what, bundle] of [['lenet-only', lenetOnly], ['lenet + @convzoo/onnx', withOnnx]]) {
    for (const other of ['resnet', 'googlenet', 'vgg16', 'alexnet', 'onnxruntime', 'tfjs']) {
      if (bundle.toLowerCase().includes(other)) throw new Error(`the ${what} bundle contains "${other}": tree-shaking failed`);
    }
    if (!bundle.includes('lenet')) throw new Error(`the ${what} bundle does not contain lenet at all`);
  }
  step(`vite bundles: lenet-only ${(lenetOnly.length / 1024).toFixed(1)} KiB, lenet + @convzoo/onnx ${(withOnnx.length / 1024).toFixed(1)} KiB; no other family, no runtime`);
  step('ok');
} catch (e) {
  process.stderr.write(`consumer-test: FAILED: ${e.message}\n`);
  process.exitCode = 1;
} finally {
  if (keep) step(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
