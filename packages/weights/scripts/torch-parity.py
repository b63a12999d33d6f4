"""Dev-time reference for PARITY.md (never run in CI): for each torchvision model, a state dict
with seeded random weights and randomized BatchNorm statistics, saved by torch as .pth (zip)
and as .safetensors (written by hand: 8-byte header length, JSON, raw little-endian bytes), a
seeded input (NHWC, convzoo's layout) and torch's eval-mode logits, all as .npy. With ONNX
opsets given, also torch.onnx.export files of the same model: `.folded.onnx` (constant folding,
eval mode: BatchNorm folded into the convs, anonymous `onnx::Conv_N` initializers) and
`.kept.onnx` (no constant folding, TrainingMode.PRESERVE: BatchNormalization nodes kept).

usage: /usr/bin/python3 torch-parity.py OUT_DIR MODEL SIZE [FOLDED_OPSET KEPT_OPSET]
"""
import json
import struct
import sys

import numpy as np
import torch
import torchvision

DTYPES = {torch.float32: 'F32', torch.int64: 'I64'}


def save_safetensors(sd, path):
    header, chunks, offset = {}, [], 0
    for name, t in sd.items():
        data = t.detach().contiguous().numpy().tobytes()
        header[name] = {'dtype': DTYPES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b' ' * (-len(raw) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(raw)) + raw)
        for c in chunks:
            f.write(c)


def main():
    out, name, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.manual_seed(0)
    kwargs = {'aux_logits': True, 'transform_input': True, 'init_weights': True} if name == 'googlenet' else {}
    model = getattr(torchvision.models, name)(weights=None, **kwargs).eval()
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5, generator=g)
                m.bias.normal_(0, 0.1, generator=g)
                m.running_mean.normal_(0, 0.1, generator=g)
                m.running_var.uniform_(0.5, 1.5, generator=g)
            elif isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)) and m.bias is not None:
                m.bias.normal_(0, 0.05, generator=g)
    sd = model.state_dict()
    torch.save(sd, f'{out}/{name}.pth')
    save_safetensors(sd, f'{out}/{name}.safetensors')
    x = torch.randn(2, 3, size, size, generator=g)
    with torch.no_grad():
        y = model(x)
    np.save(f'{out}/{name}.input.npy', x.permute(0, 2, 3, 1).contiguous().numpy())
    np.save(f'{out}/{name}.logits.npy', y.numpy())
    if len(sys.argv) > 5:
        dummy = torch.zeros(1, 3, size, size)
        torch.onnx.export(model, dummy, f'{out}/{name}.folded.onnx', opset_version=int(sys.argv[4]), do_constant_folding=True)
        torch.onnx.export(model, dummy, f'{out}/{name}.kept.onnx', opset_version=int(sys.argv[5]), do_constant_folding=False,
                          training=torch.onnx.TrainingMode.PRESERVE)


if __name__ == '__main__':
    main()
