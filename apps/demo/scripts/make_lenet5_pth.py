"""Writes e2e/fixtures/lenet5-mnist.pth: the shipped trained LeNet-5 as a torch.save state dict
(zip format), for the Classify end-to-end test of .pth loading. Dev time only (Debian's
python3-torch): /usr/bin/python3 scripts/make_lenet5_pth.py, from apps/demo."""
import json
import subprocess
from collections import OrderedDict

import torch

state = json.loads(subprocess.run(['node', 'scripts/lenet5-state-dict.mjs'], check=True, capture_output=True).stdout)
sd = OrderedDict((k, torch.tensor(v['data'], dtype=torch.float32).reshape(v['shape'])) for k, v in state.items())
torch.save(sd, 'e2e/fixtures/lenet5-mnist.pth')
print({k: tuple(t.shape) for k, t in sd.items()})
