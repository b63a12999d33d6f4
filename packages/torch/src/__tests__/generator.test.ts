/** The generator's choices that need no torch to check: names, padding routes, refusals. */
import '@convzoo/arch-inception';
import '@convzoo/arch-lenet';
import '@convzoo/arch-resnet';
import { GraphBuilder, Model, create, pythonIdentifier, torchModules, type SymbolicTensor } from '@convzoo/core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VARIANTS } from '../../scripts/harness.mjs';
import { torchModule, trainDdpScript } from '../index.js';

/** A one-input graph built by `body`, whose result is the output. */
const tiny = (shape: number[], body: (g: GraphBuilder, x: SymbolicTensor) => SymbolicTensor) => {
  const g = new GraphBuilder('tiny');
  return Model.init(g.build([body(g, g.input(shape))]));
};

describe('module names', () => {
  it('are torchvision\'s where the family has them, nested by add_module', () => {
    const { source, modules } = torchModule(create('resnet18', { inputShape: [32, 32, 3], numClasses: 10 }));
    expect(modules.get('layer1_0_conv1')).toBe('layer1.0.conv1');
    expect(source).toContain('self._add("layer2.0.downsample.1", nn.BatchNorm2d(128, eps=0.00001, momentum=0.1))');
    expect(source).toContain('layer1_0_conv1 = getattr(self.layer1, "0").conv1(maxpool)');
  });

  it('are the node names as Python identifiers elsewhere (LeNet-5, GoogLeNet\'s transform_input)', () => {
    expect([...torchModules(create('lenet5')).values()].map((m) => `${m.path}${m.generated ? '*' : ''}`))
      .toEqual(['c1*', 's2*', 'c3*', 's4*', 'c5*', 'f6*', 'output*']);
    expect(pythonIdentifier('conv1/bn')).toBe('conv1_bn');
    expect(pythonIdentifier('3a')).toBe('_3a');
    expect(pythonIdentifier('class')).toBe('class_');
  });

  it('training heads run only in training mode and come after the output', () => {
    const { source } = torchModule(create('googlenet', { variant: 'torchvision', inputShape: [96, 96, 3], numClasses: 10 }));
    expect(source.indexOf('        if self.training:\n')).toBeGreaterThan(source.indexOf('fc = self.fc('));
    expect(source).toMatch(/ {12}return \(fc, aux1_fc2, aux2_fc2\)\n {8}return fc\n/);
    expect(source).toContain('TRAINING_OUTPUTS = ("aux1_fc2", "aux2_fc2")');
  });
});

describe('padding', () => {
  it("'same' with an even kernel pads bottom/right through F.pad (SAME_UPPER), an odd one in the layer", () => {
    const { source } = torchModule(tiny([8, 8, 2], (b, x) =>
      b.conv2d(b.conv2d(x, { filters: 3, kernelSize: 4, padding: 'same', name: 'even' }), { filters: 3, kernelSize: 3, padding: 'same', name: 'odd' })));
    expect(source).toContain('even = self.even(F.pad(input, (1, 2, 1, 2)))');
    expect(source).toContain('nn.Conv2d(3, 3, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)');
  });

  it('max pooling over asymmetric pads pads with -inf', () => {
    const model = tiny([7, 7, 1], (b, x) => b.maxPool2d(x, { poolSize: 2, strides: 2, padding: 'same', name: 'pool' }));
    expect(torchModule(model).source).toContain("pool = F.max_pool2d(F.pad(input, (0, 1, 0, 1), value=float('-inf')), (2, 2), (2, 2), (0, 0), ceil_mode=False)");
  });

  it('refuses average pooling whose pads PyTorch cannot leave out of the count', () => {
    const model = tiny([7, 7, 1], (b, x) => b.avgPool2d(x, { poolSize: 2, strides: 2, padding: 'same', countIncludePad: false, name: 'pool' }));
    expect(() => torchModule(model)).toThrow('node "pool": AvgPool2D with pads 0, 1, 0, 1 (left, right, top, bottom) that do not count towards the average has no PyTorch pooling equivalent');
  });
});

describe('clip, leaky_relu and dilated pools', () => {
  it('use torch\'s own functions: relu6, hardtanh, clamp, leaky_relu, max_pool2d\'s dilation', () => {
    const { source } = torchModule(tiny([6, 6, 2], (b, x) => b.maxPool2d(b.add([
      b.relu6(x, 'r6'), b.activation(x, { fn: 'clip', min: -1, max: 1 }, 'ht'), b.activation(x, { fn: 'clip', max: 0.5 }, 'up'),
      b.activation(x, { fn: 'clip', min: -0.25 }, 'lo'), b.leakyRelu(x, 0.2, 'lr'),
    ], 'sum'), { poolSize: 2, strides: 1, dilation: [2, 1], name: 'pool' })));
    expect(source).toContain('r6 = F.relu6(input)');
    expect(source).toContain('ht = F.hardtanh(input, -1.0, 1.0)');
    expect(source).toContain('up = torch.clamp(input, max=0.5)');
    expect(source).toContain('lo = torch.clamp(input, min=-0.25)');
    expect(source).toContain('lr = F.leaky_relu(input, 0.2)');
    expect(source).toContain('pool = F.max_pool2d(sum, (2, 2), (1, 1), (0, 0), dilation=(2, 1), ceil_mode=False)');
  });

  it('refuse a dilated average pool, which PyTorch does not have', () => {
    const model = tiny([6, 6, 1], (b, x) => b.avgPool2d(x, { poolSize: 2, strides: 1, dilation: 2, name: 'pool' }));
    expect(() => torchModule(model)).toThrow('node "pool": AvgPool2D with dilation (2, 2) has no PyTorch equivalent (nn.AvgPool2d and F.avg_pool2d take no dilation); expected dilation 1');
  });
});

describe('the generated Python parses (any python3; torch not needed)', () => {
  const python = ['python3', process.env.CONVZOO_TORCH_PYTHON ?? '/usr/bin/python3'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (python === undefined) console.warn('generated-Python syntax check skipped: no python3');
  it.skipIf(python === undefined)('for every registry variant and train_ddp.py (ast.parse)', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'convzoo-torch-ast-'));
    try {
      const files = Object.entries(VARIANTS).map(([name, build], i) => {
        const file = join(dir, `m${i}.py`);
        writeFileSync(file, torchModule(build()).source);
        return [name, file] as const;
      });
      writeFileSync(join(dir, 'train_ddp.py'), trainDdpScript());
      const r = spawnSync(python!, ['-c', 'import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)\nprint(len(sys.argv) - 1)', ...files.map(([, f]) => f), join(dir, 'train_ddp.py')], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(String(files.length + 1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
