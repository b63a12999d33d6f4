import { describe, expect, it } from 'vitest';
import { describe as describeSelection, familyTitle, families, loadModel, readSelection, selectionProblems, writeSelection } from '../catalog.js';

const read = (q: string) => readSelection(new URLSearchParams(q));

describe('selection in the URL', () => {
  it('offers the five families', () => {
    expect(families().sort()).toEqual(['alexnet', 'inception', 'lenet', 'resnet', 'vgg']);
  });

  it('round-trips a full choice', () => {
    const s = read('arch=resnet50&variant=torchvision&input=64,64,3&classes=10&seed=4');
    expect(s).toEqual({ arch: 'resnet50', variant: 'torchvision', input: [64, 64, 3], classes: 10, seed: 4, weights: 'seeded' });
    expect(read(writeSelection(s).toString())).toEqual(s);
    expect(describeSelection(s)).toBe('resnet50 (torchvision), input 64x64x3, 10 classes, seeded weights (seed 4)');
  });

  it('falls back to defaults for what it does not know', () => {
    expect(read('arch=resnet9000&variant=x')).toEqual({ arch: 'lenet5', variant: 'paper', input: undefined, classes: undefined, seed: 0, weights: 'seeded' });
    expect(read('arch=vgg11&variant=nope&input=0,32,3&classes=-2&weights=elsewhere')).toMatchObject({ variant: 'paper', input: undefined, classes: undefined, weights: 'seeded' });
  });

  it('names each free-text option it cannot take, with what is expected', () => {
    const problems = (q: string) => selectionProblems(new URLSearchParams(q));
    expect(problems('arch=resnet18&input=64,64,3&classes=10&seed=2')).toEqual([]);
    expect(problems('input=64x64x3&classes=0&seed=-1')).toEqual([
      { field: 'input', message: 'Input "64x64x3": expected H,W,C as three positive integers separated by commas, such as 224,224,3' },
      { field: 'classes', message: 'Classes "0": expected a whole number of classes, 1 or more' },
      { field: 'seed', message: 'Seed "-1": expected a whole number, 0 or more' },
    ]);
    expect(problems('input=64,64').map((p) => p.field)).toEqual(['input']);
    expect(problems('classes=2.5').map((p) => p.field)).toEqual(['classes']);
  });

  it('shows families by the names people know', () => {
    expect(families().map(familyTitle)).toEqual(['LeNet', 'AlexNet', 'VGG', 'GoogLeNet (Inception v1)', 'ResNet']);
  });

  it('builds the selected model with its options and seed', async () => {
    const m = await loadModel(read('arch=lenet5&variant=modern&input=28,28,1&classes=4&seed=2'));
    expect(m.inputShape).toEqual([28, 28, 1]);
    expect(m.outputShapes).toEqual([[4]]);
    const again = await loadModel(read('arch=lenet5&variant=modern&input=28,28,1&classes=4&seed=2'));
    expect(again.weight('conv1', 'kernel').data).toEqual(m.weight('conv1', 'kernel').data);
  });

  it('reports an option the architecture cannot take', async () => {
    await expect(loadModel(read('arch=alexnet&input=16,16,3'))).rejects.toThrow(/too small/);
  });
});
