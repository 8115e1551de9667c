"""Cost of the shipped model beside community architectures at their published sizes: parameters, GFLOPs and seconds
per 1920x1080 output frame on this device, through the same `Upscaler` (spandrel builds the community networks).

usage: python bench/pareto.py [--repeat 1] [--cpu] [--out bench/results/pareto_cpu.md]
The community networks are randomly initialised at the configuration of a published x4 model and saved in their own key
layout (nothing is downloaded): weights do not change the cost, so the timings are those of the real models.
Quality is not comparable here (random weights; published scores come from other training data), so the table is the
cost side of the trade-off; rows that no other row beats on both GFLOPs and seconds are marked Pareto-optimal.
"""
import argparse, json, sys, tempfile
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _record import header
from speed import frame_flops, matmul_rate
from superres_course.espcn import seconds_per_frame
from superres_course.upscaler import Upscaler, pick_device
from superres_course.model_files import default_model_path

def community_nets() -> dict:
    "name: (network at a published x4 configuration, where that configuration comes from)"
    from spandrel.architectures.Compact import Compact
    from spandrel.architectures.ESRGAN import ESRGAN
    from spandrel.architectures.SPAN import SPAN
    from spandrel.architectures.SwinIR import SwinIR
    return {
        'Real-ESRGAN x4plus (RRDB, 23 blocks)': (ESRGAN(num_filters=64, num_blocks=23, scale=4), 'RealESRGAN_x4plus.pth'),
        'Real-ESRGAN general x4v3 (Compact)': (Compact(num_feat=64, num_conv=32, upscale=4), 'realesr-general-x4v3.pth'),
        'SwinIR lightweight x4': (SwinIR(img_size=64, embed_dim=60, depths=[6, 6, 6, 6], num_heads=[6, 6, 6, 6], window_size=8,
                                         mlp_ratio=2, upscale=4, upsampler='pixelshuffledirect'), '002_lightweightSR_DIV2K_s64w8_SwinIR-S_x4.pth'),
        'SPAN x4 (48 channels)': (SPAN(num_in_ch=3, num_out_ch=3, feature_channels=48, upscale=4), 'NTIRE 2024 ESR winner'),
    }

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--repeat', type=int, default=1, help="timed frames after a warm-up (the best counts)")
    ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default='bench/results/pareto_cpu.md')
    args = ap.parse_args()
    device, rows = pick_device(args.cpu), []
    rate = matmul_rate(device)
    with tempfile.TemporaryDirectory() as d:
        models = {'ours: shipped x4 default': (default_model_path(), 'superres_course/weights')}
        for name, (net, source) in community_nets().items():
            p = Path(d)/f"{len(models)}.pth"; torch.save(net.state_dict(), p); models[name] = (p, source)
        for name, (path, source) in models.items():
            up = Upscaler(path, device)
            n_params = sum(p.numel() for p in up.net.parameters())
            flops = frame_flops(up)
            t = seconds_per_frame(up, (1920, 1080), args.repeat)
            rows.append(dict(model=name, source=source, arch=up.spec.arch, parameters=n_params, gflops_per_1080p=round(flops / 1e9, 1),
                             seconds_per_1080p=round(t, 2), vs_flop_floor=round(t / (flops / rate), 2), tile=up.tiling()[0]))
            print(rows[-1], flush=True)
    for r in rows:
        r['pareto'] = not any(o is not r and o['gflops_per_1080p'] <= r['gflops_per_1080p'] and o['seconds_per_1080p'] <= r['seconds_per_1080p']
                              and (o['gflops_per_1080p'], o['seconds_per_1080p']) != (r['gflops_per_1080p'], r['seconds_per_1080p']) for o in rows)
    table = "| model | architecture (spandrel id) | parameters | GFLOPs per 1080p frame | s per 1080p frame | x FLOP floor | Pareto |\n|---|---|---|---|---|---|---|\n" + \
        '\n'.join(f"| {r['model']} | `{r['arch']}` | {r['parameters'] / 1e6:.2f} M | {r['gflops_per_1080p']:,.0f} | {r['seconds_per_1080p']:.2f} | "
                  f"{r['vs_flop_floor']:.1f} | {'yes' if r['pareto'] else ''} |" for r in rows)
    text = header("Cost per 1080p frame: the shipped model beside community architectures") + \
        f"Each model through `Upscaler` (tiles from free memory, as `superres upscale` runs), one 1920x1080 output frame " \
        f"from a random 480x270 input, best of {args.repeat} after a warm-up. The FLOP floor is the network's FLOPs over " \
        f"this device's float32 matmul rate ({rate / 1e9:.0f} GFLOP/s). Community networks: random weights at the published " \
        f"configuration (weights do not change the cost).\n\n" + table + f"\n\n```json\n{json.dumps(rows, indent=1)}\n```\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text); print(text)
