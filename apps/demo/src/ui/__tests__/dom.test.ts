import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawInFrames } from '../dom.js';

describe('drawInFrames', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('draws [0, total) in steps of size, the first at once and one more each frame', async () => {
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    const ranges: [number, number][] = [];
    const done = drawInFrames(130, 64, (from, to) => ranges.push([from, to]));
    expect(ranges).toEqual([[0, 64]]);
    // Each frame lets one more step through (nextFrame resolves on a timeout after the frame).
    for (let f = 0; f < 3; f++) {
      await vi.waitFor(() => expect(frames.length).toBe(f + 1));
      frames[f]!();
      await new Promise((r) => setTimeout(r, 5));
      expect(ranges.length).toBe(Math.min(f + 2, 3));
    }
    await done;
    expect(ranges).toEqual([[0, 64], [64, 128], [128, 130]]);
  });

  it('draws nothing for no items', async () => {
    const draw = vi.fn();
    await drawInFrames(0, 64, draw);
    expect(draw).not.toHaveBeenCalled();
  });
});
