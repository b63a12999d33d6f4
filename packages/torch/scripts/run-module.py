"""Runs a convzoo-generated PyTorch module (dev time and the torch tests; never in CI).

    /usr/bin/python3 run-module.py DIR WEIGHTS INPUT.npy OUTPUT.npy

DIR holds model.py; WEIGHTS is a .safetensors or torch.save'd state dict, loaded strictly.
INPUT.npy is NHWC float32 (convzoo's layout); it is transposed to NCHW for torch. The module
runs in eval mode in float32; its first output is written to OUTPUT.npy.
"""
import importlib.util
import sys

import numpy as np
import torch


def main(folder, weights, input_path, output_path):
    spec = importlib.util.spec_from_file_location("generated_model", f"{folder}/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = module.build(weights).eval()
    x = torch.from_numpy(np.ascontiguousarray(np.load(input_path).transpose(0, 3, 1, 2)))
    with torch.no_grad():
        out = net(x)
    out = out[0] if isinstance(out, tuple) else out
    np.save(output_path, out.numpy().astype(np.float32))


if __name__ == "__main__":
    main(*sys.argv[1:5])
