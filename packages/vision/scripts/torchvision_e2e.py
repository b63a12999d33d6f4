"""Dev-time end-to-end check against torchvision (heavy files are not committed, so CI cannot run
it; its numbers go to ../TORCHVISION.md). Run from packages/vision after building the CLI:

    /usr/bin/python3 scripts/torchvision_e2e.py

A seeded torchvision resnet18 with randomized BatchNorm statistics is saved as a convzoo model
directory (graph.json from convzoo itself, weights.safetensors converted here to convzoo's names
and layouts: OIHW -> HWIO, [out, in] -> [in, out]); then, on every fixture photo:
- `convzoo predict DIR --image ... --output logits.npy` against torchvision's own pipeline (PIL
  decode, Resize(256), CenterCrop(224), ToTensor, Normalize) and model: max|a-b|/max|b| and top-1;
- `convzoo embed DIR --image ... --layer layer4|avgpool --layout nchw` against
  create_feature_extractor's outputs.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from PIL import Image
from torchvision import models, transforms
from torchvision.models.feature_extraction import create_feature_extractor

HERE = os.path.dirname(os.path.abspath(__file__))
PHOTOS = os.path.join(HERE, '..', 'fixtures', 'photos')
CLI = os.path.join(HERE, '..', '..', 'cli', 'dist', 'bin.js')
BACKEND = sys.argv[1] if len(sys.argv) > 1 else 'ort-cpu'


def convzoo_name(key):
    module, param = key.rsplit('.', 1)
    node = module.replace('.', '_')
    is_bn = 'bn' in module or module.endswith('downsample.1')
    if is_bn:
        param = {'weight': 'gamma', 'bias': 'beta', 'running_mean': 'moving_mean', 'running_var': 'moving_variance'}[param]
    else:
        param = {'weight': 'kernel', 'bias': 'bias'}[param]
    return f'{node}/{param}'


def to_convzoo(t):
    a = t.detach().numpy().astype(np.float32)
    if a.ndim == 4:
        return a.transpose(2, 3, 1, 0)  # OIHW -> HWIO
    if a.ndim == 2:
        return a.T  # [out, in] -> [in, out]
    return a


def write_safetensors(path, tensors):
    header, blobs, offset = {'__metadata__': {'format': 'pt'}}, [], 0
    for name, a in tensors.items():
        b = np.ascontiguousarray(a, dtype='<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(a.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(len(h).to_bytes(8, 'little') + h + b''.join(blobs))


def cli(*args):
    r = subprocess.run(['node', CLI, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f'convzoo {" ".join(args)} failed: {r.stderr}')
    return r


def main():
    torch.manual_seed(0)
    net = models.resnet18()
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    net.eval()
    tmp = tempfile.mkdtemp(prefix='convzoo-e2e-')
    model_dir = os.path.join(tmp, 'resnet18')
    # graph.json (and preprocessing.json) from convzoo; the weights from torch.
    subprocess.run(['node', '--input-type=module', '-e', f"""
        import '@convzoo/arch-resnet'; import {{ create }} from '@convzoo/core'; import {{ saveModelDir }} from '@convzoo/core/node';
        saveModelDir(create('resnet18'), {json.dumps(model_dir)});"""], check=True, cwd=os.path.join(HERE, '..', '..', 'cli'))
    state = {convzoo_name(k): to_convzoo(v) for k, v in net.state_dict().items() if not k.endswith('num_batches_tracked')}
    write_safetensors(os.path.join(model_dir, 'weights.safetensors'), state)

    photos = sorted(os.listdir(PHOTOS))
    paths = [os.path.join(PHOTOS, p) for p in photos]
    pipeline = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                                   transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    x = torch.stack([pipeline(Image.open(p).convert('RGB')) for p in paths])
    with torch.no_grad():
        ref_logits = net(x).numpy()
        ref_feats = {k: v.numpy() for k, v in create_feature_extractor(net, {'layer4': 'layer4', 'avgpool': 'avgpool'})(x).items()}

    logits_path = os.path.join(tmp, 'logits.npy')
    cli('predict', model_dir, '--image', *paths, '--output', logits_path, '--backend', BACKEND, '--json')
    ours = np.load(logits_path)
    rows = []
    for i, p in enumerate(photos):
        rel = np.abs(ours[i] - ref_logits[i]).max() / np.abs(ref_logits[i]).max()
        rows.append((p, rel, int(ours[i].argmax()), int(ref_logits[i].argmax())))
    feats = []
    for layer in ['layer4', 'avgpool']:
        out = os.path.join(tmp, f'{layer}.npy')
        cli('embed', model_dir, '--image', *paths, '--layer', layer, '--output', out, '--layout', 'nchw', '--backend', BACKEND)
        a, b = np.load(out), ref_feats[layer].reshape(np.load(out).shape)
        feats.append((layer, list(ref_feats[layer].shape), np.abs(a - b).max(), np.abs(a - b).max() / np.abs(b).max()))

    lines = [f'# @convzoo/vision against torchvision (resnet18, seeded weights, randomized BatchNorm statistics, {BACKEND})', '',
             'Made by `scripts/torchvision_e2e.py` (dev time: torch, torchvision 0.14 and Pillow 9.4 from Debian).', '',
             '`convzoo predict DIR --image <all six photos> --output logits.npy` against torchvision\'s pipeline and model:', '',
             '| photo | max\\|a-b\\|/max\\|b\\| | top-1 convzoo | top-1 torchvision |', '|---|---|---|---|']
    lines += [f'| {p} | {rel:.2e} | {a} | {b} |' for p, rel, a, b in rows]
    lines += ['', '`convzoo embed DIR --image ... --layer L --layout nchw` against `create_feature_extractor`:', '',
              '| layer | torchvision shape | max\\|a-b\\| | max\\|a-b\\|/max\\|b\\| |', '|---|---|---|---|']
    lines += [f'| {l} | {s} | {d:.2e} | {r:.2e} |' for l, s, d, r in feats]
    lines += ['', 'convzoo\'s avgpool is GlobalAvgPool2D, [N, 512]; torchvision\'s [N, 512, 1, 1] holds the same values.',
              'The preprocessed tensors themselves equal torchvision\'s exactly (0/255) on all six photos: see the CI test',
              '`src/__tests__/preprocess.test.ts`.']
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(HERE, '..', 'TORCHVISION.md'), 'w') as f:
        f.write(text)
    print(text)
    assert all(rel < 2e-2 and a == b for _, rel, a, b in rows), 'logits or top-1 disagree'
    assert all(d < 1e-4 for _, _, d, _ in feats), 'features disagree'


if __name__ == '__main__':
    main()
