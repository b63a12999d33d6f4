/**
 * The browser entry is the same backend over onnxruntime-web. Its wasm build runs in Node too,
 * so the entry is checked here against the reference; WebGPU needs a browser (the demo's e2e
 * tests run it in Chromium), and where there is none it is refused with the reason.
 */
import { GraphBuilder, isConvzooError, maxRelDiff, Model } from '@convzoo/core';
import { randomInput, referencePredict } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { ort, ortWebBuild, ortWebThreads } from '../web.js';

function tiny(): Model {
  const g = new GraphBuilder('tiny');
  let x = g.conv2d(g.input([6, 6, 2]), { filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' });
  x = g.batchNorm(x, { name: 'bn' });
  return Model.init(g.build([g.dense(g.flatten(g.maxPool2d(x, { poolSize: 2 })), { units: 4, name: 'fc' })]), 1);
}

describe('@convzoo/backend-ort/web', () => {
  it('webgpu: a dilated pool, which its pooling kernels get wrong, is UNSUPPORTED naming the node (before any session)', async () => {
    const g = new GraphBuilder('dilated');
    const model = Model.init(g.build([g.avgPool2d(g.input([5, 5, 1]), { poolSize: 2, strides: 1, dilation: 2, name: 'pool' })]));
    const err = await ort({ device: 'webgpu' }).compile(model).catch((e: unknown) => e);
    expect(isConvzooError(err) && err.code).toBe('UNSUPPORTED');
    expect((err as Error).message).toBe(
      "ort device 'webgpu': node \"pool\": AvgPool2D with dilation 2x2 is computed wrongly by onnxruntime-web's WebGPU pooling (dilated windows); run this model on 'wasm'",
    );
    const wasm = await ort({ threads: 1 }).compile(model);
    expect((await wasm.predict(randomInput([1, 5, 5, 1], 1)))[0]!.shape).toEqual([1, 3, 3, 1]);
    await wasm.dispose();
  });

  it('outside a browser both devices name the one Node build (the plain / JSEP split is browser-only)', () => {
    expect(ortWebBuild('wasm')).toBe('node');
    expect(ortWebBuild('webgpu')).toBe('node');
  });

  it('wasm: predicts like the reference, on the device it names', async () => {
    const backend = ort({ threads: 1 });
    expect(backend.device).toBe('wasm');
    const compiled = await backend.compile(tiny());
    expect(compiled.device).toBe('wasm');
    const x = randomInput([3, 6, 6, 2], 2);
    const [y] = await compiled.predict(x);
    expect(y!.shape).toEqual([3, 4]);
    expect(maxRelDiff(y!.data, referencePredict(tiny(), x)[0]!.data)).toBeLessThan(1e-5);
    await compiled.dispose();
  });

  it('wasm: trains with the Node entry\'s results (same generated graph, same core masks)', async () => {
    const { ort: nodeOrt } = await import('../index.js');
    const [a, b] = [tiny(), tiny()];
    const data = { x: randomInput([8, 6, 6, 2], 3), y: [0, 1, 2, 3, 0, 1, 2, 3] };
    const opts = { optimizer: 'sgd', learningRate: 0.1, batchSize: 4, epochs: 2, seed: 5 } as const;
    for (const [model, backend] of [[a, ort({ threads: 1 })], [b, nodeOrt({ threads: 1 })]] as const) {
      await backend.fit(model, data, opts);
      await backend.dispose();
    }
    for (const [key, t] of a.weights) expect(maxRelDiff(t.data, b.weights.get(key)!.data), key).toBeLessThan(1e-5);
  });

  it('wasm: concurrent predicts on one compiled model (onnxruntime-web runs one at a time) equal sequential ones', async () => {
    const compiled = await ort({ threads: 1 }).compile(tiny());
    const inputs = Array.from({ length: 6 }, (_, i) => randomInput([2, 6, 6, 2], 20 + i));
    const sequential: Float32Array[] = [];
    for (const x of inputs) sequential.push((await compiled.predict(x))[0]!.data);
    const concurrent = await Promise.all([...inputs.map((x) => compiled.predict(x)), compiled.dispose().then(() => [])]);
    concurrent.slice(0, -1).forEach(([y], i) => expect(y!.data).toEqual(sequential[i]));
    await expect(compiled.predict(inputs[0]!)).rejects.toThrow(/predict after dispose/);
  });

  it('a page that is not cross-origin isolated: one thread, one notice per page saying why; the count stays once ORT has started', () => {
    const page = globalThis as { document?: unknown };
    page.document = {};
    try {
      const notices: string[] = [];
      ort({ onNotice: (m) => notices.push(m) });
      ort({ onNotice: (m) => notices.push(m) });
      expect(ortWebThreads()).toBe(1);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^onnxruntime-web runs on one thread: this page is not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin/);
    } finally {
      delete page.document;
    }
    // onnxruntime-web started in the tests above: its thread pool stays as it is.
    ort({ threads: 3 });
    expect(ortWebThreads()).toBe(1);
  });

  it('webgpu without an adapter: DEVICE_UNAVAILABLE with the reason, never wasm instead', async () => {
    const backend = ort({ device: 'webgpu' });
    expect(await backend.devices()).toEqual(['wasm']);
    const e = await backend.compile(tiny()).then(() => undefined, (err: unknown) => err);
    expect(isConvzooError(e) && e.code).toBe('DEVICE_UNAVAILABLE');
    expect((e as Error).message).toMatch(/^device 'webgpu' requested: this browser has no WebGPU \(navigator\.gpu is missing/);
    expect(() => ort({ device: 'cuda' as 'wasm' })).toThrow(/ort device must be one of wasm, webgpu, got "cuda"/);
  });
});
