"""Dev-time: writes the small committed fixtures the CI tests read (no torch in CI).

usage: /usr/bin/python3 scripts/make-fixtures.py   (from packages/weights)
"""
import json
from collections import OrderedDict

import torch

base = torch.arange(24, dtype=torch.float32) * 0.5 - 3
sd = OrderedDict()
sd['dense'] = base[:6].reshape(2, 3).clone()
sd['transposed'] = base[:12].reshape(3, 4).t()           # stride (1, 4): not contiguous
sd['offset'] = base[5:9]                                  # storage_offset 5, shares base's storage
sd['strided'] = base.reshape(4, 6)[1:3, ::2]              # offset 6, stride (6, 2)
sd['half'] = torch.tensor([0.5, -2.0, 65504.0, 1e-4], dtype=torch.float16)
sd['bfloat'] = torch.tensor([1.5, -3.25, 1e10], dtype=torch.bfloat16)
sd['scalar'] = torch.tensor(7.0)
sd['bn.num_batches_tracked'] = torch.tensor(12, dtype=torch.int64)
out = 'src/__tests__/fixtures'
torch.save(sd, f'{out}/tiny.pth')
torch.save(sd, f'{out}/tiny-legacy.pth', _use_new_zipfile_serialization=False)
expected = {k: {'shape': list(v.shape), 'data': v.float().flatten().tolist()} for k, v in sd.items()}
with open(f'{out}/tiny.json', 'w') as f:
    json.dump(expected, f, indent=1)

# torchvision's state-dict names and shapes for every model convzoo maps (checked in CI against
# each family's table without torch).
import torchvision  # noqa: E402

names = ['alexnet', 'googlenet'] + [f'resnet{d}' for d in (18, 34, 50, 101, 152)] + [f'vgg{d}{bn}' for d in (11, 13, 16, 19) for bn in ('', '_bn')]
keys = {}
for name in names:
    kwargs = {'aux_logits': True, 'init_weights': False} if name == 'googlenet' else {}
    model = getattr(torchvision.models, name)(weights=None, **kwargs)
    keys[name] = {k: list(v.shape) for k, v in model.state_dict().items()}
with open(f'{out}/torchvision-keys.json', 'w') as f:
    json.dump(keys, f, separators=(',', ':'))
