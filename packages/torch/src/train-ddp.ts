/** The train_ddp.py example written beside the generated module. */

/**
 * A short DistributedDataParallel training script for the module in `model.py`: run it under
 * `torchrun --nproc_per_node=N train_ddp.py` (gloo on CPU, nccl on GPU). Each process takes its
 * share of the data through a DistributedSampler; rank 0 saves the state dict, which
 * `convzoo ... --weights` loads back. Without `--data` it trains on seeded random tensors, so the
 * round trip can be tried before any data is at hand.
 */
export function trainDdpScript(): string {
  return `"""Trains the convzoo-generated module in model.py with DistributedDataParallel.

    torchrun --nproc_per_node=2 train_ddp.py --steps 5 --out trained.pth
    convzoo predict ARCH --weights trained.pth ...

--data FILE is a torch.save'd (inputs, labels) pair: float32 NCHW [N, C, H, W] and int64 [N].
Without it, seeded random tensors stand in. gloo on CPU, nccl on GPU.
"""
import argparse
import os

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

import model as generated


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", default=os.path.join(os.path.dirname(__file__), "model.safetensors"))
    p.add_argument("--data", help="torch.save'd (inputs, labels); default: seeded random tensors")
    p.add_argument("--steps", type=int, default=5, help="optimizer steps (each process runs this many)")
    p.add_argument("--batch", type=int, default=8, help="batch size per process")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--aux-weight", type=float, default=0.3, help="weight of training heads' losses (GoogLeNet)")
    p.add_argument("--out", default="trained.pth")
    args = p.parse_args()

    cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if cuda else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    local = int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device("cuda", local) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    torch.manual_seed(0)

    net = generated.build(args.weights).to(device)
    if cuda:
        net = torch.nn.SyncBatchNorm.convert_sync_batchnorm(net)
    ddp = DistributedDataParallel(net, device_ids=[local] if cuda else None)

    if args.data:
        inputs, labels = torch.load(args.data)
    else:
        g = torch.Generator().manual_seed(1)
        n = args.batch * args.steps * world
        inputs = torch.randn((n, *generated.INPUT_SHAPE), generator=g)
        with torch.no_grad():
            classes = net.eval()(inputs[:1].to(device))
            classes = (classes[0] if isinstance(classes, tuple) else classes).shape[1]
        labels = torch.randint(0, classes, (n,), generator=g)
    dataset = TensorDataset(inputs, labels)
    sampler = DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True, seed=0)
    loader = DataLoader(dataset, batch_size=args.batch, sampler=sampler, drop_last=True)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=args.lr, momentum=0.9)

    ddp.train()
    step, epoch = 0, 0
    while step < args.steps:
        sampler.set_epoch(epoch)
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            out = ddp(x)
            heads = out if isinstance(out, tuple) else (out,)
            loss = F.cross_entropy(heads[0], y) + args.aux_weight * sum(F.cross_entropy(h, y) for h in heads[1:])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if rank == 0:
                print(f"step {step} loss {loss.item():.4f}", flush=True)
            if step == args.steps:
                break
        epoch += 1

    if rank == 0:
        torch.save(net.state_dict(), args.out)
        print(f"saved {args.out} ({world} processes)", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
}
