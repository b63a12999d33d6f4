/**
 * Resource safety: 100 compile/dispose cycles keep RSS bounded (onnxruntime#25325 reports
 * session leaks in Node). Concurrent predicts are in core's conformance suite.
 */
import { describe, expect, it } from 'vitest';
import { resnet18 } from '@convzoo/arch-resnet';
import { randomInput } from '@convzoo/core/testing';
import { ort } from '../index.js';

const MiB = 1024 * 1024;

describe('resources on ort-cpu', () => {
  it('100 compile/dispose cycles keep RSS bounded', async () => {
    // ~45 MB of weights per session: a leaked session would add that much every cycle.
    const model = resnet18({ numClasses: 10, inputShape: [32, 32, 3], seed: 0 });
    const backend = ort({ device: 'cpu' });
    const x = randomInput([1, 32, 32, 3], 0);
    const cycle = async () => {
      const c = await backend.compile(model);
      await c.predict(x);
      await c.dispose();
    };
    for (let i = 0; i < 10; i++) await cycle(); // allocator pools settle
    global.gc?.();
    const base = process.memoryUsage().rss;
    for (let i = 0; i < 100; i++) await cycle();
    global.gc?.();
    const grown = (process.memoryUsage().rss - base) / MiB;
    console.log(`ort-cpu: RSS grew ${grown.toFixed(1)} MiB over 100 compile/dispose cycles of a 45 MB model`);
    expect(grown).toBeLessThan(150); // a leaked session per cycle would be ~4,500 MiB
  }, 240_000);
});
