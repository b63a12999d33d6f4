"""Dev-time: Keras Applications' weight files, as Keras writes them, and Keras's network in torch.

Keras is not installed here (no TensorFlow), so this writes Keras's documented HDF5 layout with
h5py and runs Keras's network semantics in torch (float64), from keras/src/applications:
- resnet.py (v1): ZeroPadding2D(3) + 7x7/2 valid conv with bias, BN eps 1.001e-5, ReLU,
  ZeroPadding2D(1) + 3x3/2 valid max pool; blocks stride their first 1x1 conv (and the 1x1
  projection `_0_conv`), 3x3 'SAME', add([shortcut, x]), ReLU; global average pool, Dense.
- vgg16.py / vgg19.py: 3x3 'same' convs with ReLU, 2x2/2 max pools, Flatten over NHWC, fc1, fc2
  (ReLU), predictions.
Kernels are HWIO, dense kernels [in, out] (Keras's own layouts).

Used by make-keras-fixtures.py (CI fixtures) and keras-parity.py (PARITY.md's Keras section).
"""
import h5py
import numpy as np
import torch
import torch.nn.functional as F

RESNET_BLOCKS = {50: [3, 4, 6, 3], 101: [3, 4, 23, 3], 152: [3, 8, 36, 3]}
VGG_CONVS = {16: [2, 2, 3, 3, 3], 19: [2, 2, 4, 4, 4]}
BN_WEIGHTS = ['gamma', 'beta', 'moving_mean', 'moving_variance']
EPS = 1.001e-5


def conv(name, k, cin, cout):
    return (name, [('kernel', (k, k, cin, cout)), ('bias', (cout,))])


def bn(name, c):
    return (name, [(w, (c,)) for w in BN_WEIGHTS])


def resnet_layers(depth, classes=1000):
    """Keras's layers with weights, in model order: (layer name, [(weight, shape)])."""
    layers = [conv('conv1_conv', 7, 3, 64), bn('conv1_bn', 64)]
    cin = 64
    for s, (filters, blocks) in enumerate(zip([64, 128, 256, 512], RESNET_BLOCKS[depth])):
        for b in range(blocks):
            p = f'conv{s + 2}_block{b + 1}'
            if b == 0:
                layers += [conv(f'{p}_0_conv', 1, cin, 4 * filters), bn(f'{p}_0_bn', 4 * filters)]
            layers += [conv(f'{p}_1_conv', 1, cin, filters), bn(f'{p}_1_bn', filters),
                       conv(f'{p}_2_conv', 3, filters, filters), bn(f'{p}_2_bn', filters),
                       conv(f'{p}_3_conv', 1, filters, 4 * filters), bn(f'{p}_3_bn', 4 * filters)]
            cin = 4 * filters
    return layers + [('predictions', [('kernel', (2048, classes)), ('bias', (classes,))])]


def vgg_layers(depth, size=224, classes=1000):
    layers = []
    cin = 3
    for s, (n, width) in enumerate(zip(VGG_CONVS[depth], [64, 128, 256, 512, 512])):
        for i in range(n):
            layers.append(conv(f'block{s + 1}_conv{i + 1}', 3, cin, width))
            cin = width
    flat = (size // 32) ** 2 * 512
    return layers + [('fc1', [('kernel', (flat, 4096)), ('bias', (4096,))]),
                     ('fc2', [('kernel', (4096, 4096)), ('bias', (4096,))]),
                     ('predictions', [('kernel', (4096, classes)), ('bias', (classes,))])]


def random_weights(layers, seed):
    """Seeded weights (He-scaled kernels, random biases) and randomized BatchNorm statistics."""
    rng = np.random.default_rng(seed)
    out = {}
    for layer, weights in layers:
        for w, shape in weights:
            if w == 'kernel':
                fan_in = int(np.prod(shape[:-1]))
                v = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
            elif w == 'gamma':
                v = rng.uniform(0.5, 1.5, shape)
            elif w == 'moving_variance':
                v = rng.uniform(0.5, 2.0, shape)
            elif w in ('beta', 'moving_mean'):
                v = rng.uniform(-0.2, 0.2, shape)
            else:
                v = rng.uniform(-0.1, 0.1, shape)
            out[f'{layer}/{w}'] = v.astype(np.float32)
    return out


def write_h5(path, layers, weights, indexed=True, model_weights=False, **dataset_options):
    """Keras's layout: `layer_names` on the root (or on `model_weights`, as model.save writes
    it), a group per layer with `weight_names`, datasets at `<layer>/<layer>/<weight>[:0]`."""
    suffix = ':0' if indexed else ''
    with h5py.File(path, 'w') as f:
        root = f.create_group('model_weights') if model_weights else f
        if model_weights:
            f.attrs['model_config'] = b'{"class_name": "Functional"}'
        root.attrs['layer_names'] = np.array([name.encode() for name, _ in layers])
        root.attrs['backend'] = b'tensorflow'
        root.attrs['keras_version'] = b'2.2.4-tf' if indexed else b'2.13.1'
        for layer, ws in layers:
            g = root.create_group(layer)
            names = [f'{layer}/{w}{suffix}' for w, _ in ws]
            g.attrs['weight_names'] = np.array([n.encode() for n in names], dtype=f'S{max([len(n) for n in names], default=1)}')
            for n, (w, _) in zip(names, ws):
                g.create_dataset(n, data=weights[f'{layer}/{w}'], **dataset_options)


def _t(weights, key):
    return torch.from_numpy(weights[key].astype(np.float64))


def _conv(x, weights, layer, stride=1, pad=0):
    kernel = _t(weights, f'{layer}/kernel').permute(3, 2, 0, 1)  # HWIO -> OIHW
    return F.conv2d(x, kernel, _t(weights, f'{layer}/bias'), stride=stride, padding=pad)


def _bn(x, weights, layer):
    g, b, m, v = (_t(weights, f'{layer}/{w}') for w in BN_WEIGHTS)
    return F.batch_norm(x, m, v, g, b, training=False, eps=EPS)


def resnet_logits(depth, weights, x_nhwc):
    x = torch.from_numpy(x_nhwc.astype(np.float64)).permute(0, 3, 1, 2)
    x = F.pad(x, (3, 3, 3, 3))  # conv1_pad
    x = F.relu(_bn(_conv(x, weights, 'conv1_conv', stride=2), weights, 'conv1_bn'))
    x = F.max_pool2d(F.pad(x, (1, 1, 1, 1)), 3, 2)  # pool1_pad (zeros) + valid pool
    for s, blocks in enumerate(RESNET_BLOCKS[depth]):
        for b in range(blocks):
            p = f'conv{s + 2}_block{b + 1}'
            stride = 2 if b == 0 and s > 0 else 1
            shortcut = _bn(_conv(x, weights, f'{p}_0_conv', stride), weights, f'{p}_0_bn') if b == 0 else x
            y = F.relu(_bn(_conv(x, weights, f'{p}_1_conv', stride), weights, f'{p}_1_bn'))
            y = F.relu(_bn(_conv(y, weights, f'{p}_2_conv', 1, 1), weights, f'{p}_2_bn'))
            y = _bn(_conv(y, weights, f'{p}_3_conv'), weights, f'{p}_3_bn')
            x = F.relu(shortcut + y)
    x = x.mean(dim=(2, 3))
    return (x @ _t(weights, 'predictions/kernel') + _t(weights, 'predictions/bias')).numpy()


def vgg_logits(depth, weights, x_nhwc):
    x = torch.from_numpy(x_nhwc.astype(np.float64)).permute(0, 3, 1, 2)
    for s, n in enumerate(VGG_CONVS[depth]):
        for i in range(n):
            x = F.relu(_conv(x, weights, f'block{s + 1}_conv{i + 1}', 1, 1))
        x = F.max_pool2d(x, 2, 2)
    x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # Keras's Flatten: NHWC order
    for layer in ['fc1', 'fc2']:
        x = F.relu(x @ _t(weights, f'{layer}/kernel') + _t(weights, f'{layer}/bias'))
    return (x @ _t(weights, 'predictions/kernel') + _t(weights, 'predictions/bias')).numpy()
