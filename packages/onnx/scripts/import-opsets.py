#!/usr/bin/python3
"""
Writes fixtures/import-opsets.json.gz: one small ONNX model per operator x opset x attribute form
that convzoo imports (and the forms it refuses), each with its input and the output expected by
an independent float64 reference (the numpy interpreter below, written from onnx.defs' schemas),
so the tests need no Python. Development time only (Debian's python3-onnx and numpy):

    /usr/bin/python3 packages/onnx/scripts/import-opsets.py

Opsets: every since_version of each operator that onnx.defs knows (1 to 17 with onnx 1.12),
the later ones from ONNX's Changelog.md up to 21, and 21 itself. Values are multiples of 1/64
(exact in float32); tensors are stored as base64 float32 so the file stays small.
"""
import base64
import gzip
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, checker, helper, numpy_helper
import onnx.defs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEWEST = 21
# since_versions after onnx 1.12's opset 17 (ONNX Changelog.md), for the operators convzoo imports.
LATER = {'AveragePool': [19], 'Pad': [18, 19, 21], 'ReduceMean': [18], 'Reshape': [19, 21], 'Shape': [19, 21],
         'Identity': [19, 21], 'Constant': [19, 21], 'Squeeze': [21], 'Unsqueeze': [21], 'Transpose': [21], 'Flatten': [21],
         'Cast': [19, 21], 'QuantizeLinear': [19, 21], 'DequantizeLinear': [19, 21]}
FLT_MAX = float(np.finfo(np.float32).max)


def versions(op):
    known = sorted({s.since_version for s in onnx.defs.get_all_schemas_with_history() if s.domain == '' and s.name == op})
    return sorted(set(known + LATER.get(op, []) + [NEWEST]))


def ir_for(opset):
    return 3 if opset <= 8 else {9: 4, 10: 5, 11: 6}.get(opset, 7 if opset <= 14 else 8 if opset <= 18 else 9 if opset <= 20 else 10)


rng = np.random.default_rng(7)


def q(shape, scale=1.0):
    """Random values on a 1/64 grid."""
    return (np.round(rng.uniform(-1, 1, shape) * scale * 64) / 64).astype(np.float32)


def i64(*v):
    return np.array(v, dtype=np.int64)


# ---- the float64 reference interpreter, per the operator schemas ----------------------------

def pads_for(auto_pad, size, k, s, d, pads):
    if auto_pad in ('SAME_UPPER', 'SAME_LOWER'):
        out = []
        for n, kk, ss, dd in zip(size, k, s, d):
            total = max(0, (-(-n // ss) - 1) * ss + (kk - 1) * dd + 1 - n)
            small, big = total // 2, total - total // 2
            out.append((big, small) if auto_pad == 'SAME_LOWER' else (small, big))
        return out
    if auto_pad == 'VALID':
        return [(0, 0), (0, 0)]
    p = pads or [0, 0, 0, 0]
    return [(p[0], p[2]), (p[1], p[3])]


def windows(x, k, s, d, pads, ceil_mode):
    """Yields (out index i, j, list of (row, col) inside the input, count inside input+pads)."""
    h, w = x.shape[2:]
    oh = [(n + a + b - ((kk - 1) * dd + 1)) / ss + 1 for n, (a, b), kk, ss, dd in zip((h, w), pads, k, s, d)]
    oh = [int(np.ceil(v)) if ceil_mode else int(np.floor(v)) for v in oh]
    for i in range(oh[0]):
        for j in range(oh[1]):
            cells, padded = [], 0
            for a in range(k[0]):
                for b in range(k[1]):
                    r, c = i * s[0] + a * d[0] - pads[0][0], j * s[1] + b * d[1] - pads[1][0]
                    if -pads[0][0] <= r < h + pads[0][1] and -pads[1][0] <= c < w + pads[1][1]:
                        padded += 1
                    if 0 <= r < h and 0 <= c < w:
                        cells.append((r, c))
            yield i, j, oh, cells, padded


def conv(x, W, B, a):
    k = a.get('kernel_shape', list(W.shape[2:]))
    s, d, g = a.get('strides', [1, 1]), a.get('dilations', [1, 1]), a.get('group', 1)
    pads = pads_for(a.get('auto_pad', 'NOTSET'), x.shape[2:], k, s, d, a.get('pads'))
    n, c = x.shape[:2]
    o = W.shape[0]
    res = None
    for i, j, oh, _, _ in windows(x, k, s, d, pads, False):
        if res is None:
            res = np.zeros((n, o, oh[0], oh[1]))
        for f in range(o):
            gi = f // (o // g)
            acc = np.zeros(n) + (B[f] if B is not None else 0)
            for ci in range(c // g):
                for p in range(k[0]):
                    for qq in range(k[1]):
                        r, cc = i * s[0] + p * d[0] - pads[0][0], j * s[1] + qq * d[1] - pads[1][0]
                        if 0 <= r < x.shape[2] and 0 <= cc < x.shape[3]:
                            acc += x[:, gi * (c // g) + ci, r, cc] * W[f, ci, p, qq]
            res[:, f, i, j] = acc
    return res


def pool(x, a, kind, opset):
    k = a['kernel_shape']
    s, d = a.get('strides', [1, 1]), a.get('dilations', [1, 1])
    pads = pads_for(a.get('auto_pad', 'NOTSET'), x.shape[2:], k, s, d, a.get('pads'))
    include = a.get('count_include_pad', 0)
    res = None
    for i, j, oh, cells, padded in windows(x, k, s, d, pads, a.get('ceil_mode', 0)):
        if res is None:
            res = np.zeros(x.shape[:2] + tuple(oh))
        v = np.stack([x[:, :, r, c] for r, c in cells], -1)
        res[:, :, i, j] = v.max(-1) if kind == 'max' else v.sum(-1) / (padded if include else len(cells))
    return res


def softmax(x, axis, opset):
    if opset < 13:
        axis = axis % x.ndim
        flat = x.reshape(int(np.prod(x.shape[:axis])), -1)
        e = np.exp(flat - flat.max(1, keepdims=True))
        return (e / e.sum(1, keepdims=True)).reshape(x.shape)
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def lrn(x, a):
    size, alpha, beta, bias = a['size'], a.get('alpha', 1e-4), a.get('beta', 0.75), a.get('bias', 1.0)
    c = x.shape[1]
    sq = np.zeros_like(x)
    for ch in range(c):
        lo, hi = max(0, ch - (size - 1) // 2), min(c - 1, ch + int(np.ceil((size - 1) / 2)))
        sq[:, ch] = (x[:, lo:hi + 1] ** 2).sum(1)
    return x / (bias + alpha / size * sq) ** beta


def run_node(n, ins, opset):
    a = {at.name: helper.get_attribute_value(at) for at in n.attribute}
    a = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in a.items()}
    op, x = n.op_type, ins[0] if ins else None
    inp = lambda i: ins[i] if len(ins) > i else None
    if op == 'Conv':
        return conv(x, inp(1), inp(2), a)
    if op in ('MaxPool', 'AveragePool'):
        return pool(x, a, 'max' if op == 'MaxPool' else 'avg', opset)
    if op == 'GlobalAveragePool':
        return x.mean((2, 3), keepdims=True)
    if op == 'GlobalMaxPool':
        return x.max((2, 3), keepdims=True)
    if op == 'Flatten':
        axis = a.get('axis', 1) + (x.ndim if a.get('axis', 1) < 0 else 0)
        return x.reshape(int(np.prod(x.shape[:axis])), -1)
    if op == 'Reshape':
        shape = list(a['shape'] if opset < 5 else inp(1))
        shape = [x.shape[i] if v == 0 else v for i, v in enumerate(shape)]
        return x.reshape(shape)
    if op in ('Relu', 'Tanh', 'Sigmoid', 'Identity', 'Dropout'):
        return {'Relu': lambda v: np.maximum(v, 0), 'Tanh': np.tanh, 'Sigmoid': lambda v: 1 / (1 + np.exp(-v))}.get(op, lambda v: v)(x)
    if op == 'LeakyRelu':
        return np.where(x >= 0, x, a.get('alpha', 0.01) * x)
    if op == 'Clip':
        lo, hi = (a.get('min', -FLT_MAX), a.get('max', FLT_MAX)) if opset < 11 else (inp(1) if inp(1) is not None else -FLT_MAX, inp(2) if inp(2) is not None else FLT_MAX)
        return np.clip(x, lo, hi)
    if op == 'Softmax':
        return softmax(x, a.get('axis', -1 if opset >= 13 else 1), opset)
    if op in ('Mul', 'Add', 'Sum'):
        out = ins[0]
        for v in ins[1:]:
            out = out * v if op == 'Mul' else out + v
        return out
    if op == 'Concat':
        return np.concatenate(ins, a.get('axis', 1))
    if op == 'BatchNormalization':
        g, b, m, v = ins[1:5]
        shp = (1, -1) + (1,) * (x.ndim - 2) if a.get('spatial', 1) else (1,) + x.shape[1:]
        return (x - m.reshape(shp)) / np.sqrt(v.reshape(shp) + a.get('epsilon', 1e-5)) * g.reshape(shp) + b.reshape(shp)
    if op == 'LRN':
        return lrn(x, a)
    if op == 'Pad':
        p = list(a['paddings'] if opset < 2 else a['pads'] if opset < 11 else inp(1))
        axes = list(range(x.ndim)) if inp(3) is None else [d % x.ndim for d in inp(3)]
        full = [[0, 0] for _ in range(x.ndim)]
        for i, d in enumerate(axes):
            full[d] = [p[i], p[i + len(axes)]]
        value = a.get('value', 0.0) if opset < 11 else (0.0 if inp(2) is None else float(inp(2)))
        return np.pad(x, full, mode='constant', constant_values=value)
    if op == 'Transpose':
        return x.transpose(a['perm'])
    if op == 'Shape':
        s = np.array(x.shape, dtype=np.int64)
        return s[a.get('start', 0):a.get('end', len(s))]
    if op == 'Gather':
        return np.take(x, inp(1), axis=a.get('axis', 0))
    if op == 'Unsqueeze':
        return np.expand_dims(x, tuple(a['axes'] if opset < 13 else inp(1)))
    if op == 'Squeeze':
        return np.squeeze(x, tuple(a['axes'] if opset < 13 else inp(1)))
    if op == 'Constant':
        for k, v in a.items():
            if k == 'value':
                return numpy_helper.to_array(v).astype(np.float64 if v.data_type == TensorProto.FLOAT else np.int64)
            return np.array(v, dtype=np.int64 if 'int' in k else np.float64)
    if op == 'Gemm':
        A, B = (x.T if a.get('transA', 0) else x), (inp(1).T if a.get('transB', 0) else inp(1))
        y = a.get('alpha', 1.0) * A @ B
        return y if inp(2) is None else y + a.get('beta', 1.0) * inp(2)
    if op == 'MatMul':
        return x @ inp(1)
    if op == 'ReduceMean':
        axes = a.get('axes') if opset < 18 else (None if inp(1) is None else list(inp(1)))
        return x.mean(tuple(axes) if axes is not None else None, keepdims=bool(a.get('keepdims', 1)))
    if op == 'Cast':
        to = a['to'] if isinstance(a['to'], str) else TensorProto.DataType.Name(a['to'])
        return x.astype({'FLOAT': np.float64, 'FLOAT16': np.float16, 'INT64': np.int64}[to])
    if op in ('QuantizeLinear', 'DequantizeLinear'):
        if a.get('block_size', 0):
            raise NotImplementedError('block_size')
        s, z = inp(1), (inp(2) if inp(2) is not None else np.zeros_like(inp(1)))
        if s.size > 1:
            shp = [1] * x.ndim
            shp[a.get('axis', 1) % x.ndim] = -1
            s, z = s.reshape(shp), z.reshape(shp)
        if op == 'DequantizeLinear':
            return (x - z) * s
        lo, hi = (0, 255) if inp(2) is None or n.input[2] in UINT8 else (-128, 127)
        return np.clip(np.rint(x / s) + z, lo, hi)
    raise NotImplementedError(op)


def evaluate(model, x):
    env = {t.name: numpy_helper.to_array(t).astype(np.float64 if t.data_type in (TensorProto.FLOAT, TensorProto.FLOAT16) else np.int64) for t in model.graph.initializer}
    UINT8.clear()
    UINT8.update(t.name for t in model.graph.initializer if t.data_type == TensorProto.UINT8)
    env['x'] = x.astype(np.float64)
    opset = model.opset_import[0].version
    for n in model.graph.node:
        env[n.output[0]] = run_node(n, [env[i] if i else None for i in n.input], opset)
    return env[model.graph.output[0].name]


# Names of the uint8 initializers of the model being evaluated (QuantizeLinear's output type).
UINT8 = set()

# ---- cases ----------------------------------------------------------------------------------

CASES, COVERED = [], set()


def to_nhwc(t, layout):
    return t.transpose(0, 2, 3, 1) if layout == 'nchw' else t


def tensor_json(t):
    """Shape and little-endian float32 data in base64 (the float64 result rounded once)."""
    return {'shape': list(t.shape), 'data': base64.b64encode(np.ascontiguousarray(t, dtype='<f4').tobytes()).decode()}


def case(op, opset, form, nodes, inits=(), shape=(2, 2, 4, 5), out_layout=None, refuse=None, out='y'):
    """out_layout: 'nchw' when the ONNX output is a [N, C, H, W] map (convzoo returns NHWC)."""
    x = q(shape)
    inits = [numpy_helper.from_array(v, name) for name, v in inits]
    in_layout = 'nhwc' if len(shape) == 4 and all(n.op_type == 'Transpose' for n in nodes if 'x' in n.input) and any(n.op_type == 'Transpose' and 'x' in n.input for n in nodes) else 'nchw'
    dims = [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N'] + list(shape[1:]))]
    # Before IR 4 every initializer is also a graph input.
    if ir_for(opset) < 4:
        dims += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in inits]
    def build(out_dims):
        graph = helper.make_graph(nodes, f'{op}_{opset}', dims, [helper.make_tensor_value_info(out, TensorProto.FLOAT, out_dims)], inits)
        return helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)], ir_version=ir_for(opset), producer_name='convzoo import-opsets.py')
    try:
        y = evaluate(build(None), x)
    except (KeyError, NotImplementedError, ValueError, TypeError):
        assert refuse is not None, (op, opset, form)
        y = None
    model = build(None if y is None else ['N'] + list(y.shape[1:]))
    if opset <= onnx.defs.onnx_opset_version() and y is not None:
        checker.check_model(model)
    row = {'op': op, 'opset': opset, 'form': form, 'model': base64.b64encode(model.SerializeToString()).decode()}
    if refuse is not None:
        row['refuse'] = refuse
    else:
        layout = out_layout or ('nchw' if y.ndim == 4 and y.shape[2:] != (1, 1) else 'flat')
        row['onnx'] = {'input': tensor_json(x), 'output': tensor_json(y)}
        row['convzoo'] = {'input': tensor_json(x if len(shape) != 4 else to_nhwc(x, in_layout)),
                          'output': tensor_json(to_nhwc(y, 'nchw') if layout == 'nchw' else y.reshape(y.shape[0], -1) if layout == 'flat' else y)}
    key = (op, opset, form)
    assert key not in COVERED, key
    COVERED.add(key)
    CASES.append(row)


N = helper.make_node
W3 = q((4, 2, 3, 3), 0.5)
B4 = q((4,))


def fc(nodes, inits=()):
    """nodes ending in an NCHW flatten 'f' of the default input, then a MatMul to 3 features."""
    return nodes + [N('MatMul', ['f', 'fcw'], ['y'])], list(inits) + [('fcw', FCW)]


FCW = q((40, 3), 0.3)


def at(op, since=1, until=NEWEST):
    return [v for v in versions(op) if since <= v <= until]


for v in at('Conv'):
    base = [('w', W3), ('b', B4)]
    case('Conv', v, 'pads [1, 1, 1, 1]', [N('Conv', ['x', 'w', 'b'], ['y'], pads=[1, 1, 1, 1])], base)
    case('Conv', v, 'pads [0, 1, 2, 1] (asymmetric)', [N('Conv', ['x', 'w', 'b'], ['y'], pads=[0, 1, 2, 1])], base)
    case('Conv', v, 'kernel_shape given, no bias', [N('Conv', ['x', 'w'], ['y'], kernel_shape=[3, 3])], base[:1])
    case('Conv', v, 'strides 2, auto_pad SAME_UPPER', [N('Conv', ['x', 'w', 'b'], ['y'], strides=[2, 2], auto_pad='SAME_UPPER')], base)
    case('Conv', v, 'strides 2, auto_pad SAME_LOWER', [N('Conv', ['x', 'w', 'b'], ['y'], strides=[2, 2], auto_pad='SAME_LOWER')], base)
    case('Conv', v, 'auto_pad SAME_LOWER, kernel 2', [N('Conv', ['x', 'w', 'b'], ['y'], auto_pad='SAME_LOWER')], [('w', q((4, 2, 2, 2))), ('b', B4)])
    case('Conv', v, 'auto_pad VALID', [N('Conv', ['x', 'w', 'b'], ['y'], auto_pad='VALID')], base)
    case('Conv', v, 'dilations 2, pads 2', [N('Conv', ['x', 'w', 'b'], ['y'], dilations=[2, 2], pads=[2, 2, 2, 2])], base)
    case('Conv', v, 'group 2 (depthwise)', [N('Conv', ['x', 'w', 'b'], ['y'], group=2, pads=[1, 1, 1, 1])], [('w', q((2, 1, 3, 3))), ('b', q((2,)))])

for v in at('MaxPool'):
    case('MaxPool', v, 'kernel 2, strides 2', [N('MaxPool', ['x'], ['y'], kernel_shape=[2, 2], strides=[2, 2])])
    case('MaxPool', v, 'kernel 3, strides 2, pads 1', [N('MaxPool', ['x'], ['y'], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])])
    case('MaxPool', v, 'kernel 3, strides 2, auto_pad SAME_UPPER', [N('MaxPool', ['x'], ['y'], kernel_shape=[3, 3], strides=[2, 2], auto_pad='SAME_UPPER')])
    case('MaxPool', v, 'kernel 2, auto_pad SAME_LOWER', [N('MaxPool', ['x'], ['y'], kernel_shape=[2, 2], auto_pad='SAME_LOWER')])
    # torch before opset 10 writes ceil_mode as end padding that no window reaches in full.
    case('MaxPool', v, 'kernel 3, strides 2, end pads 2 past the last window', [N('MaxPool', ['x'], ['y'], kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 2, 2])])
    if v >= 8:
        case('MaxPool', v, 'storage_order 1', [N('MaxPool', ['x'], ['y'], kernel_shape=[2, 2], storage_order=1)])
    if v >= 10:
        case('MaxPool', v, 'ceil_mode 1', [N('MaxPool', ['x'], ['y'], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)])
        case('MaxPool', v, 'dilations 2', [N('MaxPool', ['x'], ['y'], kernel_shape=[2, 2], dilations=[2, 2])])
        case('MaxPool', v, 'dilations [2, 1], strides 2, pads 1', [N('MaxPool', ['x'], ['y'], kernel_shape=[2, 2], dilations=[2, 1], strides=[2, 2], pads=[1, 1, 1, 1])])

for v in at('AveragePool'):
    case('AveragePool', v, 'kernel 2, strides 2', [N('AveragePool', ['x'], ['y'], kernel_shape=[2, 2], strides=[2, 2])])
    case('AveragePool', v, 'kernel 3, pads 1 (pads not counted)', [N('AveragePool', ['x'], ['y'], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])])
    case('AveragePool', v, 'kernel 2, auto_pad SAME_LOWER', [N('AveragePool', ['x'], ['y'], kernel_shape=[2, 2], auto_pad='SAME_LOWER')])
    if v >= 7:
        case('AveragePool', v, 'count_include_pad 1', [N('AveragePool', ['x'], ['y'], kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1)])
    if v >= 10:
        case('AveragePool', v, 'ceil_mode 1', [N('AveragePool', ['x'], ['y'], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)])
    if v >= 19:
        case('AveragePool', v, 'dilations 2', [N('AveragePool', ['x'], ['y'], kernel_shape=[2, 2], dilations=[2, 2])])
        case('AveragePool', v, 'dilations 2, pads 1 (pads not counted)', [N('AveragePool', ['x'], ['y'], kernel_shape=[2, 2], dilations=[2, 2], pads=[1, 1, 1, 1])])
        case('AveragePool', v, 'dilations 2, pads 1, count_include_pad 1', [N('AveragePool', ['x'], ['y'], kernel_shape=[2, 2], dilations=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1)])

for op in ('GlobalAveragePool', 'GlobalMaxPool'):
    for v in at(op):
        case(op, v, 'then Flatten', [N(op, ['x'], ['p']), N('Flatten', ['p'], ['y'])])
        case(op, v, 'as the output ([N, C, 1, 1])', [N(op, ['x'], ['y'])], out_layout='flat' if op == 'GlobalAveragePool' else 'nchw')

for v in at('Flatten'):
    case('Flatten', v, 'axis 1 of a map, then MatMul', *fc([N('Flatten', ['x'], ['f'], axis=1)]))
    case('Flatten', v, 'axis 2 of [N, 1, H, W]', [N('Flatten', ['x'], ['y'], axis=2)], shape=(2, 1, 4, 5))
    case('Flatten', v, 'axis 1 of [N, C, 1, 1]', [N('GlobalAveragePool', ['x'], ['p']), N('Flatten', ['p'], ['y'], axis=1)])
    case('Flatten', v, 'axis 3 of [N, C, 1, 1]', [N('GlobalAveragePool', ['x'], ['p']), N('Flatten', ['p'], ['y'], axis=3)], refuse='axis 3 is not supported')
    if v >= 11:
        case('Flatten', v, 'axis -3 of a map, then MatMul', *fc([N('Flatten', ['x'], ['f'], axis=-3)]))
    case('Flatten', v, 'axis 2 of [N, 2, H, W]', [N('Flatten', ['x'], ['y'], axis=2)], refuse='axis 2 is not supported')

for v in at('Reshape'):
    if v < 5:
        case('Reshape', v, 'shape attribute [0, -1], then MatMul', *fc([N('Reshape', ['x'], ['f'], shape=[0, -1])]))
    else:
        case('Reshape', v, 'shape input [0, -1], then MatMul', *fc([N('Reshape', ['x', 's'], ['f'])], [('s', i64(0, -1))]))
        case('Reshape', v, 'shape input [-1, 40], then MatMul', *fc([N('Reshape', ['x', 's'], ['f'])], [('s', i64(-1, 40))]))
        case('Reshape', v, 'shape input [2, -1] of [N, C, 1, 1]', [N('GlobalAveragePool', ['x'], ['p']), N('Reshape', ['p', 's'], ['y'])], [('s', i64(2, -1))])

for op in ('Relu', 'Tanh', 'Sigmoid'):
    for v in at(op):
        extra = {'consumed_inputs': [0]} if v < 6 else {}
        case(op, v, 'consumed_inputs' if v < 6 else 'plain', [N(op, ['x'], ['y'], **extra)])

for v in at('LeakyRelu'):
    case('LeakyRelu', v, 'alpha 0', [N('LeakyRelu', ['x'], ['y'], alpha=0.0)])
    case('LeakyRelu', v, 'alpha 0.01 (default)', [N('LeakyRelu', ['x'], ['y'])])
    case('LeakyRelu', v, 'alpha 0.2', [N('LeakyRelu', ['x'], ['y'], alpha=0.2)])

for v in at('Clip'):
    if v < 11:
        case('Clip', v, 'min 0 (ReLU)', [N('Clip', ['x'], ['y'], min=0.0)])
        case('Clip', v, 'no bounds', [N('Sigmoid', ['x'], ['s']), N('Clip', ['s'], ['y'])])
        case('Clip', v, 'min 0, max 6 (ReLU6)', [N('Clip', ['x'], ['y'], min=0.0, max=6.0)])
        case('Clip', v, 'min -0.5, max 0.5', [N('Clip', ['x'], ['y'], min=-0.5, max=0.5)])
        case('Clip', v, 'max 0.25 only', [N('Clip', ['x'], ['y'], max=0.25)])
        case('Clip', v, 'min 1 > max 0', [N('Clip', ['x'], ['y'], min=1.0, max=0.0)], refuse='min 1 is not supported: at most max (0)')
    else:
        case('Clip', v, 'min input 0 (ReLU)', [N('Clip', ['x', 'lo'], ['y'])], [('lo', np.array(0, np.float32))])
        case('Clip', v, 'min 0, max "" (ReLU)', [N('Clip', ['x', 'lo', ''], ['y'])], [('lo', np.array(0, np.float32))])
        case('Clip', v, 'no bounds', [N('Sigmoid', ['x'], ['s']), N('Clip', ['s'], ['y'])])
        case('Clip', v, 'min 0, max 6 inputs (ReLU6)', [N('Clip', ['x', 'lo', 'hi'], ['y'])], [('lo', np.array(0, np.float32)), ('hi', np.array(6, np.float32))])
        case('Clip', v, 'min -0.5, max 0.5 inputs', [N('Clip', ['x', 'lo', 'hi'], ['y'])], [('lo', np.array(-0.5, np.float32)), ('hi', np.array(0.5, np.float32))])
        case('Clip', v, 'min "", max 0.25 input', [N('Clip', ['x', '', 'hi'], ['y'])], [('hi', np.array(0.25, np.float32))])
        case('Clip', v, 'min -1', [N('Clip', ['x', 'lo'], ['y'])], [('lo', np.array(-1, np.float32))])
        case('Clip', v, 'min input 1 > max input 0', [N('Clip', ['x', 'lo', 'hi'], ['y'])], [('lo', np.array(1, np.float32)), ('hi', np.array(0, np.float32))], refuse='min 1 is not supported: at most max (0)')

for v in at('Softmax'):
    case('Softmax', v, 'default axis on [N, F]', [N('Softmax', ['x'], ['y'])], shape=(2, 6))
    case('Softmax', v, 'axis 1 on [N, F]', [N('Softmax', ['x'], ['y'], axis=1)], shape=(2, 6))
    if v >= 11:
        case('Softmax', v, 'axis -1 on [N, F]', [N('Softmax', ['x'], ['y'], axis=-1)], shape=(2, 6))
    case('Softmax', v, 'axis 1 on [N, C, 1, 1]', [N('GlobalAveragePool', ['x'], ['p']), N('Softmax', ['p'], ['y'], axis=1)], out_layout='flat')
    if v >= 13:
        case('Softmax', v, 'axis 1 on a map (channels)', [N('Softmax', ['x'], ['y'], axis=1)])
    else:
        case('Softmax', v, 'axis 1 on a map (C, H and W together)', [N('Softmax', ['x'], ['y'], axis=1)], refuse='axis 1 is not supported')

for v in at('Mul'):
    bc = {'broadcast': 1} if v < 7 else {}
    nodes = [N('Mul', ['x', 'a'], ['m'], **bc), N('Tanh', ['m'], ['t']), N('Mul', ['t', 'b'], ['y'], **bc)]
    case('Mul', v, '1.7159 * tanh(2x / 3)' + (', broadcast 1' if v < 7 else ''), nodes, [('a', np.array(2 / 3, np.float32)), ('b', np.array(1.7159, np.float32))])

for v in at('Add'):
    case('Add', v, 'two maps', [N('Relu', ['x'], ['r']), N('Add', ['x', 'r'], ['y'])])
for v in at('Sum'):
    case('Sum', v, 'three maps', [N('Relu', ['x'], ['r']), N('Tanh', ['x'], ['t']), N('Sum', ['x', 'r', 't'], ['y'])])

for v in at('Concat'):
    nodes = lambda **kw: [N('Relu', ['x'], ['r']), N('Sigmoid', ['x'], ['s']), N('Concat', ['r', 's'], ['y'], **kw)]
    case('Concat', v, 'axis 1', nodes(axis=1))
    if v < 4:
        case('Concat', v, 'default axis (1)', nodes())
    if v >= 11:
        case('Concat', v, 'axis -3', nodes(axis=-3))

bn = [('g', q((2,))), ('beta', q((2,))), ('mean', q((2,), 0.5)), ('var', (np.abs(q((2,))) + 0.5).astype(np.float32))]
bn_in = ['x', 'g', 'beta', 'mean', 'var']
for v in at('BatchNormalization'):
    if v < 6:
        case('BatchNormalization', v, 'is_test 1, spatial 1, consumed_inputs', [N('BatchNormalization', bn_in, ['y'], is_test=1, spatial=1, consumed_inputs=[0, 0, 0, 1, 1])], bn)
    elif v < 7:
        case('BatchNormalization', v, 'is_test 1', [N('BatchNormalization', bn_in, ['y'], is_test=1, epsilon=1e-3)], bn)
    if v < 7:
        case('BatchNormalization', v, 'is_test 0 (default)', [N('BatchNormalization', bn_in, ['y'], **({'consumed_inputs': [0, 0, 0, 1, 1]} if v < 6 else {}))], bn, refuse='is_test 0 is not supported')
    if 7 <= v < 9:
        case('BatchNormalization', v, 'spatial 1', [N('BatchNormalization', bn_in, ['y'], spatial=1)], bn)
        case('BatchNormalization', v, 'spatial 0 on [N, F]', [N('BatchNormalization', bn_in, ['y'], spatial=0)], bn, shape=(2, 2))
        case('BatchNormalization', v, 'spatial 0 on a map', [N('BatchNormalization', bn_in, ['y'], spatial=0)], bn, refuse='spatial 0 is not supported')
    if v >= 7:
        case('BatchNormalization', v, 'epsilon 1e-3, momentum 0.99', [N('BatchNormalization', bn_in, ['y'], epsilon=1e-3, momentum=0.99)], bn)
    if v >= 14:
        case('BatchNormalization', v, 'training_mode 0', [N('BatchNormalization', bn_in, ['y'], training_mode=0)], bn)

for v in at('LRN'):
    case('LRN', v, 'size 3', [N('LRN', ['x'], ['y'], size=3)])
    case('LRN', v, 'size 5, alpha 0.1, beta 0.5, bias 2', [N('LRN', ['x'], ['y'], size=5, alpha=0.1, beta=0.5, bias=2.0)])

P = [0, 0, 1, 2, 0, 0, 2, 1]
for v in at('Pad'):
    if v < 2:
        case('Pad', v, 'paddings attribute', [N('Pad', ['x'], ['y'], paddings=P)])
        case('Pad', v, 'paddings, value 0.5', [N('Pad', ['x'], ['y'], paddings=P, value=0.5)], refuse='value 0.5 is not supported')
    elif v < 11:
        case('Pad', v, 'pads attribute', [N('Pad', ['x'], ['y'], pads=P)])
        case('Pad', v, 'pads, value 0 given', [N('Pad', ['x'], ['y'], pads=P, value=0.0, mode='constant')])
        case('Pad', v, 'value 0.5', [N('Pad', ['x'], ['y'], pads=P, value=0.5)], refuse='value 0.5 is not supported')
    else:
        case('Pad', v, 'pads input', [N('Pad', ['x', 'p'], ['y'])], [('p', i64(*P))])
        case('Pad', v, 'pads and constant_value 0 inputs', [N('Pad', ['x', 'p', 'c'], ['y'])], [('p', i64(*P)), ('c', np.array(0, np.float32))])
        case('Pad', v, 'constant_value 0.5', [N('Pad', ['x', 'p', 'c'], ['y'])], [('p', i64(*P)), ('c', np.array(0.5, np.float32))], refuse='constant_value 0.5 is not supported')
    if v >= 18:
        case('Pad', v, 'axes input [2, 3]', [N('Pad', ['x', 'p', '', 'ax'], ['y'])], [('p', i64(1, 2, 2, 1)), ('ax', i64(2, 3))])
        case('Pad', v, 'axes input [-1, -2]', [N('Pad', ['x', 'p', '', 'ax'], ['y'])], [('p', i64(2, 1, 1, 2)), ('ax', i64(-1, -2))])
    pads_in = (['x', 'p'], [('p', i64(*P))]) if v >= 11 else (['x'], [])
    pads_attr = {} if v >= 11 else {'paddings': P} if v < 2 else {'pads': P}
    for mode in ('reflect', 'edge'):
        case('Pad', v, f'mode {mode}', [N('Pad', pads_in[0], ['y'], mode=mode, **pads_attr)], pads_in[1], refuse=f'mode "{mode}" is not supported')
    if v >= 19:
        case('Pad', v, 'mode wrap', [N('Pad', pads_in[0], ['y'], mode='wrap')], pads_in[1], refuse='mode "wrap" is not supported')

for v in at('Transpose'):
    case('Transpose', v, 'NHWC input and output around a Conv',
         [N('Transpose', ['x'], ['t'], perm=[0, 3, 1, 2]), N('Conv', ['t', 'w', 'b'], ['c'], pads=[1, 1, 1, 1]), N('Transpose', ['c'], ['y'], perm=[0, 2, 3, 1])],
         [('w', W3), ('b', B4)], shape=(2, 4, 5, 2), out_layout='nhwc')

for v in at('Dropout'):
    if v < 7:
        extra = {'consumed_inputs': [0]} if v < 6 else {}
        case('Dropout', v, 'is_test 1, ratio 0.3', [N('Dropout', ['x'], ['y'], is_test=1, ratio=0.3, **extra)])
        case('Dropout', v, 'is_test 0 (default)', [N('Dropout', ['x'], ['y'])], refuse='is_test 0 is not supported')
    elif v < 12:
        case('Dropout', v, 'ratio 0.3', [N('Dropout', ['x'], ['y'], ratio=0.3)])
    else:
        case('Dropout', v, 'ratio input', [N('Dropout', ['x', 'r'], ['y'])], [('r', np.array(0.3, np.float32))])
        case('Dropout', v, 'training_mode input false', [N('Dropout', ['x', 'r', 't'], ['y'])], [('r', np.array(0.3, np.float32)), ('t', np.array(False))])
        case('Dropout', v, 'training_mode input true', [N('Dropout', ['x', 'r', 't'], ['y'])], [('r', np.array(0.3, np.float32)), ('t', np.array(True))], refuse='training_mode 1 is not supported')
    case('Dropout', v, 'no attributes', [N('Dropout', ['x'], ['y'], **({'is_test': 1} if v < 7 else {}))])

for v in at('Identity'):
    case('Identity', v, 'after Relu', [N('Relu', ['x'], ['r']), N('Identity', ['r'], ['y'])])


def torch_flatten(v, start_end=False):
    """torch's x.view(x.size(0), -1) idiom: Shape -> Gather -> Unsqueeze -> Concat -> Reshape."""
    if start_end:
        return fc([N('Shape', ['x'], ['n'], start=0, end=1), N('Concat', ['n', 'minus1'], ['s'], axis=0), N('Reshape', ['x', 's'], ['f'])], [('minus1', i64(-1))])
    unsq = N('Unsqueeze', ['n', 'zero'], ['n1']) if v >= 13 else N('Unsqueeze', ['n'], ['n1'], axes=[0])
    return fc([N('Shape', ['x'], ['sh']), N('Gather', ['sh', 'i0'], ['n'], axis=0), unsq, N('Concat', ['n1', 'minus1'], ['s'], axis=0), N('Reshape', ['x', 's'], ['f'])],
              [('i0', np.array(0, np.int64)), ('minus1', i64(-1))] + ([('zero', i64(0))] if v >= 13 else []))


for op in ('Shape', 'Gather', 'Unsqueeze'):
    for v in at(op, 5):
        case(op, v, 'x.view(N, -1) idiom', *torch_flatten(v))
for v in at('Shape', 15):
    case('Shape', v, 'start 0, end 1', *torch_flatten(v, True))

for v in at('Constant'):
    case('Constant', v, 'value tensor (a Mul factor)', [N('Constant', [], ['a'], value=numpy_helper.from_array(np.array(2 / 3, np.float32))), N('Mul', ['x', 'a'], ['m'], **({'broadcast': 1} if v < 7 else {})),
                                                       N('Tanh', ['m'], ['t']), N('Mul', ['t', 'b'], ['y'], **({'broadcast': 1} if v < 7 else {}))], [('b', np.array(1.7159, np.float32))])
    if v >= 5:
        case('Constant', v, 'value tensor (a Reshape shape)', *fc([N('Constant', [], ['s'], value=numpy_helper.from_array(i64(0, -1))), N('Reshape', ['x', 's'], ['f'])]))
    if v >= 12:
        case('Constant', v, 'value_ints (a Reshape shape)', *fc([N('Constant', [], ['s'], value_ints=[0, -1]), N('Reshape', ['x', 's'], ['f'])]))
        case('Constant', v, 'value_float (a Mul factor)', [N('Constant', [], ['a'], value_float=2 / 3), N('Mul', ['x', 'a'], ['m']), N('Tanh', ['m'], ['t']), N('Mul', ['t', 'b'], ['y'])], [('b', np.array(1.7159, np.float32))])

for v in at('Squeeze'):
    ax = lambda *a_: ([N('GlobalAveragePool', ['x'], ['p']), N('Squeeze', ['p', 'ax'], ['y'])], [('ax', i64(*a_))]) if v >= 13 else ([N('GlobalAveragePool', ['x'], ['p']), N('Squeeze', ['p'], ['y'], axes=list(a_))], [])
    case('Squeeze', v, 'axes [2, 3] of [N, C, 1, 1]', *ax(2, 3))
    if v >= 11:
        case('Squeeze', v, 'axes [-1, -2]', *ax(-1, -2))
    gmp = ([N('GlobalMaxPool', ['x'], ['p']), N('Squeeze', ['p', 'ax'], ['y'])], [('ax', i64(2, 3))]) if v >= 13 else ([N('GlobalMaxPool', ['x'], ['p']), N('Squeeze', ['p'], ['y'], axes=[2, 3])], [])
    case('Squeeze', v, 'axes [2, 3] after GlobalMaxPool', *gmp)
    case('Squeeze', v, 'axes absent', [N('GlobalAveragePool', ['x'], ['p']), N('Squeeze', ['p'], ['y'])], refuse='axes "absent" is not supported')

G = q((6, 4))
GT = np.ascontiguousarray(G.T)
C4 = q((4,))
for v in at('Gemm'):
    bc = {'broadcast': 1} if v < 7 else {}
    vec = dict(shape=(2, 6))
    case('Gemm', v, 'C [units]' + (', broadcast 1' if v < 7 else ''), [N('Gemm', ['x', 'B', 'C'], ['y'], **bc)], [('B', G), ('C', C4)], **vec)
    case('Gemm', v, 'transB 1', [N('Gemm', ['x', 'B', 'C'], ['y'], transB=1, **bc)], [('B', GT), ('C', C4)], **vec)
    case('Gemm', v, 'alpha 0.5, beta 2', [N('Gemm', ['x', 'B', 'C'], ['y'], alpha=0.5, beta=2.0, **bc)], [('B', G), ('C', C4)], **vec)
    case('Gemm', v, 'C [1] (scalar broadcast)', [N('Gemm', ['x', 'B', 'C'], ['y'], **bc)], [('B', G), ('C', q((1,)))], **vec)
    case('Gemm', v, 'C [1, units]', [N('Gemm', ['x', 'B', 'C'], ['y'], **bc)], [('B', G), ('C', C4.reshape(1, 4))], **vec)
    case('Gemm', v, 'full C [M, units], equal rows', [N('Gemm', ['x', 'B', 'C'], ['y'])], [('B', G), ('C', np.stack([C4, C4]))], **vec)
    case('Gemm', v, 'full C [M, units], rows differ', [N('Gemm', ['x', 'B', 'C'], ['y'])], [('B', G), ('C', q((2, 4)))], refuse='C "[2, 4] with differing rows" is not supported', **vec)
    case('Gemm', v, 'transA 1', [N('Gemm', ['x', 'B', 'C'], ['y'], transA=1, **bc)], [('B', q((2, 4))), ('C', C4)], refuse='transA 1 is not supported', **vec)
    case('Gemm', v, 'after an NCHW Flatten', [N('Flatten', ['x'], ['f']), N('Gemm', ['f', 'B', 'C'], ['y'], transB=1, **bc)], [('B', q((4, 40), 0.3)), ('C', C4)])
    if v >= 11:
        case('Gemm', v, 'no C', [N('Gemm', ['x', 'B'], ['y'])], [('B', G)], **vec)

for v in at('MatMul'):
    case('MatMul', v, '[N, K] x constant [K, units]', [N('MatMul', ['x', 'B'], ['y'])], [('B', G)], shape=(2, 6))
    case('MatMul', v, 'MatMul + Add bias (tf2onnx Dense)', [N('MatMul', ['x', 'B'], ['m']), N('Add', ['m', 'c'], ['y'], **({'broadcast': 1} if v < 7 else {}))], [('B', G), ('c', C4)], shape=(2, 6))
    case('MatMul', v, 'after an NCHW Flatten', [N('Flatten', ['x'], ['f']), N('MatMul', ['f', 'B'], ['y'])], [('B', q((40, 4), 0.3))])

for v in at('ReduceMean'):
    def rm(axes, keep, nhwc=False):
        pre = [N('Transpose', ['x'], ['t'], perm=[0, 3, 1, 2]), N('Relu', ['t'], ['r']), N('Transpose', ['r'], ['h'], perm=[0, 2, 3, 1])] if nhwc else []
        src = 'h' if nhwc else 'x'
        if v >= 18:
            return pre + [N('ReduceMean', [src, 'ax'], ['y'], keepdims=keep)], [('ax', i64(*axes))]
        return pre + [N('ReduceMean', [src], ['y'], axes=list(axes), keepdims=keep)], []
    case('ReduceMean', v, 'axes [2, 3], keepdims 1', *rm((2, 3), 1), out_layout='flat')
    case('ReduceMean', v, 'axes [2, 3], keepdims 0', *rm((2, 3), 0))
    if v >= 11:
        case('ReduceMean', v, 'axes [-2, -1]', *rm((-2, -1), 1), out_layout='flat')
    case('ReduceMean', v, 'NHWC axes [1, 2], keepdims 0', *rm((1, 2), 0, True), shape=(2, 4, 5, 2))
    case('ReduceMean', v, 'axes [1]', *rm((1,), 1), refuse='axes [1] is not supported')


# ---- tf2onnx's graphs for Keras VGG16 and ResNet50, shrunk ----------------------------------
# tf2onnx (its transpose optimizer off) keeps Keras's NHWC at the edges: the input is transposed
# to NCHW for Conv, back to NHWC before Keras's Flatten (a Reshape by a shape constant) or
# GlobalAveragePooling2D (ReduceMean over axes 1 and 2, keepdims 0); Dense is MatMul + Add.
def tf2onnx_vgg(v):
    nodes = [N('Transpose', ['x'], ['t0'], perm=[0, 3, 1, 2]),
             N('Conv', ['t0', 'w1', 'b1'], ['c1'], pads=[1, 1, 1, 1]), N('Relu', ['c1'], ['r1']),
             N('Conv', ['r1', 'w2', 'b2'], ['c2'], pads=[1, 1, 1, 1]), N('Relu', ['c2'], ['r2']),
             N('MaxPool', ['r2'], ['p2'], kernel_shape=[2, 2], strides=[2, 2]),
             N('Transpose', ['p2'], ['t1'], perm=[0, 2, 3, 1]), N('Reshape', ['t1', 'shape'], ['f']),
             N('MatMul', ['f', 'd1'], ['m1']), N('Add', ['m1', 'e1'], ['a1']), N('Relu', ['a1'], ['h1']),
             N('MatMul', ['h1', 'd2'], ['m2']), N('Add', ['m2', 'e2'], ['a2']), N('Softmax', ['a2'], ['y'], axis=1 if v < 13 else -1)]
    inits = [('w1', q((4, 3, 3, 3), 0.5)), ('b1', q((4,))), ('w2', q((4, 4, 3, 3), 0.5)), ('b2', q((4,))),
             ('shape', i64(-1, 24)), ('d1', q((24, 8), 0.5)), ('e1', q((8,))), ('d2', q((8, 5), 0.5)), ('e2', q((5,)))]
    return nodes, inits


def tf2onnx_resnet(v, optimized=False):
    """optimized: tf2onnx's transpose optimizer pushed the back-Transpose through the pooling,
    leaving ReduceMean over NCHW axes 2 and 3 (keepdims 1) and a Squeeze."""
    axes = dict(axes=[2, 3] if optimized else [1, 2]) if v < 18 else {}
    nodes = [N('Transpose', ['x'], ['t0'], perm=[0, 3, 1, 2]),
             N('Pad', ['t0', 'pp'] if v >= 11 else ['t0'], ['pd'], **({} if v >= 11 else {'pads': [0, 0, 1, 1, 0, 0, 1, 1]})),
             N('Conv', ['pd', 'w1', 'b1'], ['c1'], strides=[2, 2]), N('BatchNormalization', ['c1', 'g', 'be', 'mu', 'va'], ['n1'], epsilon=1.001e-5),
             N('Relu', ['n1'], ['r1']), N('MaxPool', ['r1'], ['p1'], kernel_shape=[3, 3], strides=[1, 1], auto_pad='SAME_UPPER'),
             N('Conv', ['p1', 'w2', 'b2'], ['c2'], pads=[1, 1, 1, 1]), N('Relu', ['c2'], ['r2']),
             N('Conv', ['r2', 'w3', 'b3'], ['c3'], pads=[1, 1, 1, 1]), N('Add', ['c3', 'p1'], ['s']), N('Relu', ['s'], ['r3']),
             *([N('ReduceMean', ['r3', 'rax'] if v >= 18 else ['r3'], ['g4'], keepdims=1, **axes),
                N('Squeeze', ['g4', 'sax'] if v >= 13 else ['g4'], ['gap'], **({} if v >= 13 else {'axes': [2, 3]}))] if optimized else
               [N('Transpose', ['r3'], ['t1'], perm=[0, 2, 3, 1]),
                N('ReduceMean', ['t1', 'rax'] if v >= 18 else ['t1'], ['gap'], keepdims=0, **axes)]),
             N('MatMul', ['gap', 'd'], ['m']), N('Add', ['m', 'e'], ['a']), N('Softmax', ['a'], ['y'], axis=1 if v < 13 else -1)]
    inits = [('w1', q((4, 3, 3, 3), 0.5)), ('b1', q((4,))), ('g', q((4,))), ('be', q((4,))), ('mu', q((4,), 0.3)), ('va', (np.abs(q((4,))) + 0.5).astype(np.float32)),
             ('w2', q((4, 4, 3, 3), 0.4)), ('b2', q((4,))), ('w3', q((4, 4, 3, 3), 0.4)), ('b3', q((4,))), ('d', q((4, 5))), ('e', q((5,)))]
    inits += [('pp', i64(0, 0, 1, 1, 0, 0, 1, 1))] if v >= 11 else []
    inits += [('rax', i64(*([2, 3] if optimized else [1, 2])))] if v >= 18 else []
    inits += [('sax', i64(2, 3))] if optimized and v >= 13 else []
    return nodes, inits


for v in (9, 11, 13, 18, NEWEST):
    case('tf2onnx Keras VGG16-like', v, 'NHWC Transposes, Reshape [-1, F], MatMul + Add', *tf2onnx_vgg(v), shape=(2, 4, 6, 3))
    case('tf2onnx Keras ResNet50-like', v, 'NHWC Transposes, Pad, BN, residual Add, ReduceMean [1, 2], MatMul + Add', *tf2onnx_resnet(v), shape=(2, 6, 6, 3))
    case('tf2onnx Keras ResNet50-like', v, 'transposes optimized: ReduceMean [2, 3] keepdims 1, Squeeze', *tf2onnx_resnet(v, True), shape=(2, 6, 6, 3))

# ---- fp16 and QDQ (quantized) files -----------------------------------------------------------
# fp16 files store weights as float16 read through Cast; QDQ files store int8 weights and int32
# biases under DequantizeLinear and put QuantizeLinear + DequantizeLinear pairs on activations.
# The pairs are dropped on import (no fake-quant op in convzoo): the cases use scale 1/64, on
# whose grid the inputs lie, so the float64 reference of the real rounding is exact.
S64, ZP = np.array(1 / 64, np.float32), np.array(128, np.uint8)
WS = (np.abs(W3).reshape(4, -1).max(1) / 127).astype(np.float32)
WQ = np.round(W3 / WS.reshape(4, 1, 1, 1)).astype(np.int8)
BS = (WS * 0.02).astype(np.float32)
BQ = np.round(B4 / BS).astype(np.int32)
GS = (np.abs(G).max(0) / 127).astype(np.float32)
GQ = np.round(G / GS).astype(np.int8)
for v in at('Cast'):
    to = (lambda t: TensorProto.DataType.Name(t)) if v < 6 else (lambda t: t)
    case('Cast', v, 'to FLOAT of a float16 weight (fp16 file)', [N('Cast', ['w16'], ['w'], to=to(TensorProto.FLOAT)), N('Conv', ['x', 'w', 'b'], ['y'], pads=[1, 1, 1, 1])], [('w16', W3.astype(np.float16)), ('b', B4)])
    case('Cast', v, 'to FLOAT of a float tensor', [N('Relu', ['x'], ['r']), N('Cast', ['r'], ['y'], to=to(TensorProto.FLOAT))])
    case('Cast', v, 'to INT64', [N('Cast', ['x'], ['y'], to=to(TensorProto.INT64))], refuse='to "INT64" is not supported')
for v in at('QuantizeLinear'):
    case('QuantizeLinear', v, 'uint8 pair on an activation (dropped)', [N('Relu', ['x'], ['r']), N('QuantizeLinear', ['r', 's', 'z'], ['rq']), N('DequantizeLinear', ['rq', 's', 'z'], ['y'])], [('s', S64), ('z', ZP)])
    case('QuantizeLinear', v, 'uint8 pair before a Conv', [N('QuantizeLinear', ['x', 's', 'z'], ['xq']), N('DequantizeLinear', ['xq', 's', 'z'], ['xd']),
                                                            N('Conv', ['xd', 'w', 'b'], ['y'], pads=[1, 1, 1, 1])], [('s', S64), ('z', ZP), ('w', W3), ('b', B4)])
for v in at('DequantizeLinear'):
    case('DequantizeLinear', v, 'int8 weight per tensor into Conv', [N('DequantizeLinear', ['wq', 'ws', 'wz'], ['w']), N('Conv', ['x', 'w', 'b'], ['y'], pads=[1, 1, 1, 1])],
         [('wq', WQ), ('ws', np.array(WS.max(), np.float32)), ('wz', np.array(0, np.int8)), ('b', B4)])
    case('DequantizeLinear', v, 'uint8 weight per tensor, zero point 128', [N('DequantizeLinear', ['wq', 'ws', 'wz'], ['w']), N('Conv', ['x', 'w'], ['y'])],
         [('wq', (WQ.astype(np.int32) + 128).astype(np.uint8)), ('ws', np.array(WS.max(), np.float32)), ('wz', ZP)])
    if v >= 13:
        case('DequantizeLinear', v, 'int8 weight per channel (axis 0), int32 bias, into Conv',
             [N('DequantizeLinear', ['wq', 'ws', 'wz'], ['w'], axis=0), N('DequantizeLinear', ['bq', 'bs'], ['b'], axis=0), N('Conv', ['x', 'w', 'b'], ['y'], pads=[1, 1, 1, 1])],
             [('wq', WQ), ('ws', WS), ('wz', np.zeros(4, np.int8)), ('bq', BQ), ('bs', BS)])
        # With A quantized too (as QDQ files have it): given a float A, ONNX Runtime (extended
        # optimizations) quantizes it dynamically, off the float64 reference by ~5e-3.
        case('DequantizeLinear', v, 'int8 B per column (axis 1), uint8 A pair, into Gemm',
             [N('QuantizeLinear', ['x', 's', 'z'], ['xq']), N('DequantizeLinear', ['xq', 's', 'z'], ['xd']),
              N('DequantizeLinear', ['gq', 'gs'], ['B'], axis=1), N('Gemm', ['xd', 'B', 'C'], ['y'])],
             [('s', S64), ('z', ZP), ('gq', GQ), ('gs', GS), ('C', C4)], shape=(2, 6))
    if v >= 21:
        case('DequantizeLinear', v, 'block_size 2', [N('DequantizeLinear', ['wq', 'ws'], ['w'], axis=1, block_size=2), N('Conv', ['x', 'w'], ['y'])],
             [('wq', WQ), ('ws', np.ones((4, 1, 3, 3), np.float32))], refuse='block_size 2 is not supported')

out = os.path.join(ROOT, 'fixtures', 'import-opsets.json.gz')
os.makedirs(os.path.dirname(out), exist_ok=True)
# gzip (mtime 0, so regenerating unchanged cases gives the same bytes): base64 floats compress 4x.
with open(out, 'wb') as f:
    f.write(gzip.compress(json.dumps({'generator': 'packages/onnx/scripts/import-opsets.py', 'cases': CASES}, separators=(',', ':')).encode(), 9, mtime=0))
print(f'{len(CASES)} cases ({sum("refuse" in c for c in CASES)} refusals), {os.path.getsize(out) // 1024} KiB -> {out}')
