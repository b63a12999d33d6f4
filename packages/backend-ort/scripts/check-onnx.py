#!/usr/bin/python3
"""Dev-time: runs onnx.checker (full check, with strict shape inference) on ONNX files.

Usage: /usr/bin/python3 scripts/check-onnx.py FILE_OR_DIR...   (Debian: apt-get install python3-onnx)
Prints one line per file and exits 1 if any fails.
"""
import pathlib
import sys

import onnx


def files(args):
    for a in args:
        p = pathlib.Path(a)
        yield from sorted(p.rglob('*.onnx')) if p.is_dir() else [p]


failed = 0
checked = 0
for f in files(sys.argv[1:]):
    checked += 1
    try:
        # A path (not a loaded model) lets the checker follow external data and models over 2 GB.
        onnx.checker.check_model(str(f), full_check=True)
        model = onnx.load(str(f), load_external_data=False)
        inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        declared = {o.name: o.type for o in model.graph.output}
        for o in inferred.graph.output:
            if o.type != declared[o.name]:
                raise ValueError(f'output {o.name}: inferred {o.type} differs from declared {declared[o.name]}')
        print(f'ok      {f} (ir {model.ir_version}, opset {model.opset_import[0].version}, {len(model.graph.node)} nodes)')
    except Exception as e:  # report every file, then fail
        failed += 1
        print(f'FAILED  {f}: {e}')
print(f'{checked - failed}/{checked} files pass onnx.checker {onnx.__version__}')
sys.exit(1 if failed or not checked else 0)
