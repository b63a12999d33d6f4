"""Dev-time: writes the Keras .h5 fixtures the CI tests read (no torch or h5py in CI).

usage: /usr/bin/python3 scripts/make-keras-fixtures.py   (from packages/weights)

- keras-tiny.h5 / keras-tiny-model.h5: a small conv -> BN -> ReLU -> pool -> flatten -> dense
  network in Keras's two layouts (root `layer_names` with `kernel:0` names; a full-model save's
  `model_weights` group with Keras 2.13's `kernel` names, gzip-chunked datasets), its weights
  and Keras's logits;
  not-keras.h5: HDF5 without Keras's attributes.
- keras-keys.json: Keras Applications' layer / weight names and shapes of VGG16/19 and
  ResNet50/101/152, for the family tables' tests.
- keras-resnet50.h5.gz: Keras's ResNet50 at full size with sparse seeded weights (one input
  channel for every other output channel of each kernel, the rest zero; BN statistics and biases
  random on every fourth channel) so that the gzipped file is small, plus Keras's logits at
  32x32 (torch float64).
"""
import gzip
import json
import os

import h5py
import numpy as np
import torch.nn.functional as F

from keras_h5 import _t, resnet_layers, resnet_logits, vgg_layers, write_h5

out = 'src/__tests__/fixtures'
rng = np.random.default_rng(17)
q = lambda v: (np.round(np.asarray(v) * 64) / 64).astype(np.float32)  # multiples of 1/64: exact in float32

# The tiny network, with the weightless layers Keras lists too (empty weight_names).
tiny = [('input_1', []), ('conv', [('kernel', (3, 3, 2, 3)), ('bias', (3,))]),
        ('bn', [('gamma', (3,)), ('beta', (3,)), ('moving_mean', (3,)), ('moving_variance', (3,))]),
        ('pool', []), ('flatten', []), ('dense', [('kernel', (12, 5)), ('bias', (5,))])]
w = {'conv/kernel': q(rng.standard_normal((3, 3, 2, 3))), 'conv/bias': q(rng.uniform(-1, 1, 3)),
     'bn/gamma': q(rng.uniform(0.5, 1.5, 3)), 'bn/beta': q(rng.uniform(-1, 1, 3)),
     'bn/moving_mean': q(rng.uniform(-1, 1, 3)), 'bn/moving_variance': q(rng.uniform(0.5, 2, 3)),
     'dense/kernel': q(rng.standard_normal((12, 5))), 'dense/bias': q(rng.uniform(-1, 1, 5))}


def write_all():
    write_h5(f'{out}/keras-tiny.h5', tiny, w)
    write_h5(f'{out}/keras-tiny-model.h5', tiny, w, indexed=False, model_weights=True, compression='gzip')
    x = q(rng.uniform(-2, 2, (2, 4, 4, 2)))
    y = F.conv2d(_t({'x': x}, 'x').permute(0, 3, 1, 2), _t(w, 'conv/kernel').permute(3, 2, 0, 1), _t(w, 'conv/bias'), padding=1)
    y = F.batch_norm(y, _t(w, 'bn/moving_mean'), _t(w, 'bn/moving_variance'), _t(w, 'bn/gamma'), _t(w, 'bn/beta'), training=False, eps=1e-3)
    y = F.max_pool2d(F.relu(y), 2).permute(0, 2, 3, 1).reshape(2, -1)  # Keras's Flatten: NHWC
    logits = (y @ _t(w, 'dense/kernel') + _t(w, 'dense/bias')).numpy()
    with open(f'{out}/keras-tiny.json', 'w') as f:
        json.dump({'weights': {k: {'shape': list(v.shape), 'data': v.flatten().tolist()} for k, v in w.items()},
                   'input': x.flatten().tolist(), 'logits': logits.flatten().tolist()}, f)

    with h5py.File(f'{out}/not-keras.h5', 'w') as f:  # HDF5, but no layer_names anywhere
        f.create_dataset('data', data=np.arange(4, dtype=np.float32))

    keys = {name: [[layer, [[wt, list(shape)] for wt, shape in ws]] for layer, ws in layers]
            for name, layers in [('vgg16', vgg_layers(16)), ('vgg19', vgg_layers(19)),
                                 ('resnet50', resnet_layers(50)), ('resnet101', resnet_layers(101)), ('resnet152', resnet_layers(152))]}
    with open(f'{out}/keras-keys.json', 'w') as f:
        json.dump(keys, f, separators=(',', ':'))

    layers = resnet_layers(50)
    weights = {}
    for i, (layer, ws) in enumerate(layers):
        for wt, shape in ws:
            c = shape[-1]
            every4 = np.arange(c) % 4 == 0
            if wt == 'kernel':
                v = np.zeros(shape, np.float32)
                taps = int(np.prod(shape[:-2]))
                for o in range(0, c, 2):
                    v[..., (o * 7 + i) % shape[-2], o] = rng.standard_normal(shape[:-2]) * np.sqrt(2.0 / taps)
            elif wt in ('gamma', 'moving_variance'):
                v = np.where(every4, rng.uniform(0.5, 1.5 if wt == 'gamma' else 2.0, c), 1.0)
            else:
                v = np.where(every4, rng.uniform(-0.2, 0.2, c), 0.0)
            weights[f'{layer}/{wt}'] = q(v)
    write_h5('/tmp/keras-resnet50.h5', layers, weights)
    with open('/tmp/keras-resnet50.h5', 'rb') as f, gzip.open(f'{out}/keras-resnet50.h5.gz', 'wb', 9) as g:
        g.write(f.read())
    os.remove('/tmp/keras-resnet50.h5')
    # The input is a formula the test repeats: ((i * 37) % 271) - 120 at flat NHWC index i.
    x = (((np.arange(2 * 32 * 32 * 3) * 37) % 271) - 120).astype(np.float32).reshape(2, 32, 32, 3)
    logits = resnet_logits(50, weights, x)
    with open(f'{out}/keras-resnet50.json', 'w') as f:
        json.dump({'logits': [float(f'{v:.7g}') for v in logits.flatten()]}, f)


write_all()
