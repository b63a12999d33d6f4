/**
 * torch.onnx.export files at opsets 9, 11, 13 and 17 (fixtures/torch, written by
 * scripts/torch-opsets.py with torch 1.13, seeded weights, randomized BatchNorm) import and run
 * on core's float64 reference like torch, within 1e-4. The torchvision families are too big to
 * commit: scripts/torch-opsets.mjs checks them (IMPORT.md has the numbers).
 */
import { readFileSync } from 'node:fs';
import { decodeNpy, maxRelDiff } from '@convzoo/core';
import { referencePredict } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { decodeOnnx, importOnnx } from '../index.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/torch/${name}`, import.meta.url));

describe('torch.onnx.export at opsets 9 to 17 imports and matches torch', () => {
  for (const name of ['lenet_like', 'tiny_conv_bn_pool', 'tiny_relu6_leaky']) {
    const input = decodeNpy(fixture(`${name}.input.npy`));
    const expected = decodeNpy(fixture(`${name}.output.npy`));
    for (const opset of [9, 11, 13, 17]) {
      it(`${name} at opset ${opset}`, () => {
        const bytes = fixture(`${name}.opset${opset}.onnx`);
        expect(decodeOnnx(bytes).opsets.get('')).toBe(opset);
        const [got] = referencePredict(importOnnx(bytes), input);
        expect(got!.shape).toEqual(expected.shape);
        expect(maxRelDiff(got!.data, expected.data)).toBeLessThan(1e-4);
      });
    }
  }
});
