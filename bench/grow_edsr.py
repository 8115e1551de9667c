"""Grow a trained `CompactEDSR` model file by residual blocks that start as the identity, to fine-tune a deeper network from it.

    python bench/grow_edsr.py x4 runs/x4_grown16.pth --n-blocks 16
    superres train ../shared/data/bsds500/train --out runs/x4_16 --init runs/x4_grown16.pth ...

The new blocks go after the trained ones, before the body's last convolution; each new block's second convolution is zero,
so the grown network computes exactly what the small one did (checked here on a random input) and training starts from
the small model's quality instead of from bicubic.
"""
import argparse, copy, sys
import torch
from torch import nn
from superres_course.models import EDSRBlock
from superres_course.model_files import load_sr_model, save_sr_model, model_file


def grow(net:nn.Module, n_blocks:int, seed:int=0) -> nn.Module:
    "A copy of the CompactEDSR `net` with `n_blocks` residual blocks: its own first, then new ones that start as the identity"
    grown = copy.deepcopy(net)
    *blocks, last = grown.body
    if n_blocks <= len(blocks): raise ValueError(f"the model has {len(blocks)} blocks already; ask for more than that")
    torch.manual_seed(seed)
    new = [EDSRBlock(last.in_channels, blocks[0].res_scale) for _ in range(n_blocks - len(blocks))]
    for b in new: nn.init.zeros_(b.conv2.weight); nn.init.zeros_(b.conv2.bias)
    grown.body = nn.Sequential(*blocks, *new, last)
    return grown


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('model', help="a CompactEDSR model file or a shipped model's name")
    p.add_argument('out', help="the grown model file to write")
    p.add_argument('--n-blocks', type=int, required=True, help="residual blocks of the grown network")
    p.add_argument('--seed', type=int, default=0, help="seed of the new blocks' first convolutions")
    a = p.parse_args(argv)
    path = model_file(a.model)
    net, spec = load_sr_model(path)
    if spec.arch != 'edsr': sys.exit(f"{path}: a {spec.arch} network; only edsr models can be grown")
    grown = grow(net, a.n_blocks, a.seed).eval()
    x = torch.rand(1, spec.n_in, 24, 24)
    with torch.no_grad(): diff = float((grown(x) - net.eval()(x)).abs().max())
    if diff > 1e-5: sys.exit(f"the grown network differs from {path} by {diff}: not an identity growth")
    spec.config = {**spec.config, 'n_blocks': a.n_blocks}
    spec.meta = {**spec.meta, 'grown_from': str(path), 'grown_command': 'python bench/grow_edsr.py ' + ' '.join(sys.argv[1:] if argv is None else argv)}
    save_sr_model(grown, a.out, spec)
    n = sum(t.numel() for t in grown.parameters())
    print(f"{a.out}: {spec.arch} {spec.config}, {n:,} parameters; same output as {path} (max difference {diff:.1e})")


if __name__ == '__main__': main()
