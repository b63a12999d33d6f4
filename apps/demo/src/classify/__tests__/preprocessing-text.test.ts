import { describe, expect, it } from 'vitest';
import { KERAS_CAFFE, MNIST, TORCHVISION_IMAGENET } from '@convzoo/core';
import { describePreprocessing } from '../preprocessing-text.js';

describe('preprocessing in words', () => {
  it('says each step of the presets', () => {
    expect(describePreprocessing(TORCHVISION_IMAGENET)).toBe('torchvision-imagenet: RGB, shorter side resized to 256 (bilinear), centre crop 224x224, x 1/255, minus mean [0.485, 0.456, 0.406], over std [0.229, 0.224, 0.225]');
    expect(describePreprocessing(MNIST)).toBe('mnist: greyscale, inverted when light (ink on paper), resized to 28x28 (bilinear), 2-pixel zero border, x 1/255, minus mean [0.1307], over std [0.3081]');
    expect(describePreprocessing(KERAS_CAFFE)).toMatch(/^keras-caffe: BGR, resized to 224x224 \(nearest\), x 1, minus mean \[103\.939, 116\.779, 123\.68\], over std \[1, 1, 1\]$/);
  });
});
