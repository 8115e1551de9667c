"""The work `Upscaler` does around the network, per 1920x1080 output frame: a near-free network (each input pixel
repeated 4x4 by a pixel shuffle) is timed alone and through `Upscaler`, interleaved; the difference is the host's part
(pixel layout, colour, tiles, transfers, the output canvas) that every model pays on top of its network.

usage: python bench/host_overhead.py [--rounds 40] [--cpu] [--out bench/results/host_overhead_cpu.md]
On a GPU this is what separates the network's frames per second from `superres upscale`'s (bench/results/speed_gpu.md).
"""
import argparse, json, statistics
from pathlib import Path
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from superres_course.core import SRImage
from superres_course.model_files import ModelSpec, PixelSpaceNet
from superres_course.upscaler import Upscaler, pick_device
from speed import synced
from _record import header

class Repeat4x(nn.Module):
    "A x4 'network' that costs almost nothing: every input pixel repeated 4x4"
    def __init__(self): super().__init__(); self.unused = nn.Parameter(torch.zeros(1))   # `Upscaler` finds the device from a parameter
    def forward(self, x): return F.pixel_shuffle(x.repeat(1, 16, 1, 1), 4)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rounds', type=int, default=40); ap.add_argument('--cpu', action='store_true')
    ap.add_argument('--out', default=None, help="default: bench/results/host_overhead_{cpu,gpu}.md")
    args = ap.parse_args()
    device = pick_device(args.cpu)
    spec = ModelSpec('edsr', dict(scale=4, n_feats=4, n_blocks=1, upsampler='once'), 4)
    net = Repeat4x().to(device)
    up = Upscaler(net, spec=spec)
    pixel_net = PixelSpaceNet(net, None)                  # what `Upscaler` runs on the device: the network and its clamp
    frame = SRImage(np.random.default_rng(0).random((1080 // 4, 1920 // 4, 3), dtype=np.float32))
    x = torch.from_numpy(frame.pixels.transpose(2, 0, 1).copy())[None].to(device)
    def network(t):
        with torch.inference_mode(): return pixel_net(t)
    up(frame); network(x)                                                          # warm-up
    t_net, t_up = [], []
    for _ in range(args.rounds):
        t_net.append(synced(network, x)); t_up.append(synced(up, frame))
    res = dict(device=str(device), rounds=args.rounds, tiling=list(up.tiling()),
               network_ms=dict(min=round(min(t_net) * 1e3, 2), median=round(statistics.median(t_net) * 1e3, 2)),
               upscaler_ms=dict(min=round(min(t_up) * 1e3, 2), median=round(statistics.median(t_up) * 1e3, 2)))
    res['host_ms'] = dict(min=round(res['upscaler_ms']['min'] - res['network_ms']['min'], 2),
                          median=round(res['upscaler_ms']['median'] - res['network_ms']['median'], 2))
    out = Path(args.out or f"bench/results/host_overhead_{'gpu' if device.type == 'cuda' else 'cpu'}.md")
    text = header("Host overhead of `Upscaler` per 1080p output frame") + \
        f"A near-free x4 network (a pixel shuffle of copies, and `Upscaler`'s clamp) on {device}, {args.rounds} interleaved rounds.\n\n" \
        f"| | min (ms) | median (ms) |\n|---|---|---|\n| the network alone, input already on the device | {res['network_ms']['min']:.2f} | " \
        f"{res['network_ms']['median']:.2f} |\n| `Upscaler` (float pixels in host memory, in and out) | {res['upscaler_ms']['min']:.2f} | " \
        f"{res['upscaler_ms']['median']:.2f} |\n| **the difference: the host's part** | **{res['host_ms']['min']:.2f}** | **{res['host_ms']['median']:.2f}** |\n\n" \
        f"```json\n{json.dumps(res, indent=1)}\n```\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text); print(text)
