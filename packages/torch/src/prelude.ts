/** Python the generated module carries so that it needs nothing but torch. */

/** Module containers for torchvision's dotted names, and the safetensors reader. */
export const BASE = `class ConvzooModule(nn.Module):
    """Adds each layer at its dotted path (layer1.0.conv1) so state_dict keys are exactly those names."""

    def _add(self, path, module):
        parent = self
        *parents, leaf = path.split(".")
        for name in parents:
            if name not in parent._modules:
                parent.add_module(name, nn.Module())
            parent = parent._modules[name]
        parent.add_module(leaf, module)


def load_safetensors(path):
    """The F32 tensors of a safetensors file (what convzoo writes), without the safetensors package."""
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    tensors = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {t['dtype']}, expected F32")
        begin, end = t["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.float32).reshape(t["shape"])
    return tensors
`;

/** LeNet-5's C3: a convolution whose [out][in] mask keeps the unconnected kernel entries out. */
export const MASKED_CONV = `class MaskedConv2d(nn.Conv2d):
    """A convolution with partial connectivity: mask[o][i] is 1 where input map i feeds output map o."""

    def __init__(self, mask, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_buffer("mask", torch.tensor(mask, dtype=torch.float32)[:, :, None, None], persistent=False)

    def forward(self, x):
        return self._conv_forward(x, self.weight * self.mask, self.bias)
`;

/** LeNet-5's S2 / S4. */
export const SUBSAMPLING = `class Subsampling(nn.Module):
    """LeNet-5 subsampling: the sum of each window times weight[c], plus bias[c]."""

    def __init__(self, channels, kernel_size, stride):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride
        self.weight = nn.Parameter(torch.full((channels,), 0.25))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        area = self.kernel_size[0] * self.kernel_size[1]
        s = F.avg_pool2d(x, self.kernel_size, self.stride) * area
        return s * self.weight[None, :, None, None] + self.bias[None, :, None, None]
`;
