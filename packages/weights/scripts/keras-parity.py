"""Dev-time, for keras-parity.mjs: a Keras Applications weight file with seeded random weights
and randomized BatchNorm statistics (h5py, Keras's layout), and the logits of Keras's network on
a seeded batch of 2 computed in torch float64 (keras_h5.py).

usage: /usr/bin/python3 scripts/keras-parity.py DIR MODEL SIZE   (MODEL: resnet50, vgg16, ...)
"""
import sys

import numpy as np

from keras_h5 import random_weights, resnet_layers, resnet_logits, vgg_layers, vgg_logits, write_h5

out, name, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
depth = int(name.removeprefix('resnet').removeprefix('vgg'))
resnet = name.startswith('resnet')
layers = resnet_layers(depth) if resnet else vgg_layers(depth, size)
weights = random_weights(layers, seed=depth)
write_h5(f'{out}/{name}.h5', layers, weights)
# Caffe-preprocessed pixels are about [-124, 152]: the same range here.
x = np.random.default_rng(1).uniform(-120, 150, (2, size, size, 3)).astype(np.float32)
logits = (resnet_logits if resnet else vgg_logits)(depth, weights, x)
np.save(f'{out}/{name}.input.npy', x)
np.save(f'{out}/{name}.logits.npy', logits.astype(np.float32))
