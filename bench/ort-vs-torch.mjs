/**
 * ONNX Runtime on convzoo's export against the same ONNX Runtime on torchvision's own export of
 * the same architecture (bench/.cache/NAME.onnx, from torch_export.py), plus the achieved
 * GFLOP/s of each against the CPU's estimated fp32 peak. Three contenders in ABBA blocks:
 *   convzoo       ort().compile(model).predict: the NHWC path a convzoo user runs
 *   convzoo-nchw  exportOnnx(model, { inputLayout: 'nchw' }): the same input layout as torch's file
 *   torchvision   torch.onnx.export's file
 * Every session has the same options (spinning off, since three share the process).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ort } from '@convzoo/backend-ort';
import { exportOnnx, decodeOnnx } from '@convzoo/onnx';
import { resnet50 } from '@convzoo/arch-resnet';
import { googlenet } from '@convzoo/arch-inception';
import { vgg16 } from '@convzoo/arch-vgg';
import { abba, CACHE_DIR, machine, ORT_NO_SPIN, progress, randomFloats } from './lib.mjs';

export const ARCHS = {
  resnet50: () => resnet50({}),
  // torchvision's GoogLeNet: BatchNorm after each conv and no LRN, where the paper variant has LRN
  googlenet: () => googlenet({ variant: 'torchvision', auxClassifiers: false }),
  vgg16: () => vgg16({}),
};

/** Op type -> count, for telling the two graphs apart. */
function opCounts(bytes) {
  const counts = {};
  for (const n of decodeOnnx(bytes).graph.nodes) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
  return counts;
}

async function session(bytes) {
  return InferenceSession.create(bytes, { executionProviders: ['cpu'], ...ORT_NO_SPIN });
}

export async function ortVsTorch(name, batch, rounds) {
  const model = ARCHS[name]();
  const torchFile = join(CACHE_DIR, `${name}.onnx`);
  // Without torch there is no torchvision file: convzoo's two paths still give the GFLOP/s.
  const torchBytes = existsSync(torchFile) ? readFileSync(torchFile) : undefined;
  const nchwBytes = exportOnnx(model, { inputLayout: 'nchw' });
  const compiled = await ort({ sessionOptions: ORT_NO_SPIN }).compile(model);
  const nchw = await session(nchwBytes);
  const torch = torchBytes && (await session(torchBytes));
  const [h, w, c] = model.inputShape;
  // The same numbers for all three; NHWC for convzoo's contract, NCHW for the two NCHW files (timing only).
  const data = randomFloats(batch * h * w * c);
  const nhwcInput = { shape: [batch, h, w, c], data };
  const nchwTensor = new Tensor('float32', data, [batch, c, h, w]);
  const runNchw = (s) => s.run({ [s.inputNames[0]]: nchwTensor });
  const timings = await abba(
    [
      { name: 'convzoo', run: () => compiled.predict(nhwcInput) },
      { name: 'convzoo-nchw', run: () => runNchw(nchw) },
      ...(torch ? [{ name: 'torchvision', run: () => runNchw(torch) }] : []),
    ],
    { rounds, warmup: 2, onRun: (who, t, done, total) => done % 6 === 0 && progress(`ort ${name} batch ${batch}: ${done}/${total} (${who} ${t.toFixed(0)} ms)`) },
  );
  await compiled.dispose();
  await nchw.release();
  await torch?.release();
  const flops = 2 * model.summary().macs * batch;
  const peak = machine().peakGflops;
  const byName = Object.fromEntries(timings.map((t) => [t.name, { ...t, gflops: flops / (t.fastestMs * 1e6), ofPeak: flops / (t.fastestMs * 1e6) / peak }]));
  return {
    name, batch, flops, peakGflops: peak, ...byName,
    ...(torch
      ? {
        ratio: byName.convzoo.fastestMs / byName.torchvision.fastestMs,
        ratioNchw: byName['convzoo-nchw'].fastestMs / byName.torchvision.fastestMs,
        ratioMedian: byName.convzoo.medianMs / byName.torchvision.medianMs,
      }
      : { skipped: `no ${torchFile} (torch_export.py needs torch)` }),
    ops: { convzoo: opCounts(exportOnnx(model, { inputLayout: 'nhwc', outputLayout: 'nhwc' })), ...(torchBytes ? { torchvision: opCounts(torchBytes) } : {}) },
  };
}
