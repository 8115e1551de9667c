"""Does the GAN stage sharpen when the critic sees only high frequencies? One cycle per variant from the same pretrained generator.

usage: python bench/experiments/nogan_critic_input.py RUN_DIR [--sigmas 0 1.0 1.0] [--gains 1 1 4] [--gan-steps 60] [--checkpoint-every 10]
                                          [--work DIR] [--out FILE]

The idea comes from frequency-separation SR GANs (Fritsche, Gu and Timofte, "Frequency Separation for Real-World
Super-Resolution", 2019): a critic judging the image minus its Gaussian blur cannot push the generator's colours, only
its detail. Variant i wraps NoGAN's critic in a high-pass filter of Gaussian sigma `sigmas[i]` (0: the plain critic)
scaled by `gains[i]`; everything else is RUN_DIR's settings. Every GAN-stage checkpoint is scored on the run's validation
photos as the cycle table scores them.
"""
import argparse, tempfile, time, warnings
from pathlib import Path
import torch.nn as nn
import torchvision.transforms.functional as TF
import sys; sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # bench/: _record
from _record import header
from _pretraining import copy_pretraining, nogan_from_pretraining
from superres_course.nogan import NoGAN

class HighPass(nn.Module):
    "`gain` x (the image minus its Gaussian blur), channel by channel"
    def __init__(self, sigma:float, gain:float=1.):
        super().__init__(); self.sigma, self.gain, self.ks = sigma, gain, 2 * int(3 * sigma + 0.5) + 1
    def forward(self, x): return self.gain * (x - TF.gaussian_blur(x, [self.ks, self.ks], [self.sigma, self.sigma]))

def high_pass_nogan(sigma, gain):
    "`NoGAN` whose critic sees the image through a `HighPass` (sigma 0: the plain critic); critic.pth holds the wrapped state dict"
    class HighPassNoGAN(NoGAN):
        def _critic(self, k):
            c = super()._critic(k)
            return nn.Sequential(HighPass(sigma, gain), c) if sigma else c
    return HighPassNoGAN

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('run'); ap.add_argument('--sigmas', type=float, nargs='+', default=[0., 1., 1.])
    ap.add_argument('--gains', type=float, nargs='+', default=[1., 1., 4.])
    ap.add_argument('--gan-steps', type=int, default=60); ap.add_argument('--checkpoint-every', type=int, default=10)
    ap.add_argument('--work', default=None); ap.add_argument('--out', default=None)
    args = ap.parse_args()
    warnings.simplefilter('ignore')
    run, work, first, lines = Path(args.run), Path(args.work or tempfile.mkdtemp()), None, []
    for sigma, gain in zip(args.sigmas, args.gains):
        name = f'sigma {sigma:g}, gain {gain:g}' if sigma else 'plain critic'
        dst = work/(f'hp_{sigma:g}_{gain:g}' if sigma else 'plain')
        settings = copy_pretraining(run, dst, gan_steps=args.gan_steps, checkpoint_every=args.checkpoint_every)
        t0 = time.time()
        ng = nogan_from_pretraining(settings['hr'], dst, first, cpu=True, num_workers=0, show_progress=False,
                                    log=lambda m: print(' ', m, flush=True), base=high_pass_nogan(sigma, gain))
        ng.cycle()
        first = first or dst/'generated'
        r0, r1 = ng.table
        if not lines:
            lines = ["| critic input | generator | PSNR-Y (dB) | HF ratio | colourfulness ratio | critic loss / accuracy | adversarial share |",
                     "|---|---|---|---|---|---|---|",
                     f"| | pretrained (cycle 0) | {r0['psnr']:.3f} | {r0['hf']:.3f} | {r0['color']:.3f} | | |"]
        for p in ng.score_checkpoints(1):
            end = p['gan_step'] == args.gan_steps
            extra = f"{r1['critic_loss']:.3f} / {r1['critic_accuracy']:.3f} | {100 * r1['adv_share']:.0f}%" if end else ' |'
            lines.append(f"| {name} | step {p['gan_step']}{' (the end)' if end else ''} | {p['psnr']:.3f} | {p['hf']:.3f} | {p['color']:.3f} | {extra} |")
        print(f"{name}: {(time.time() - t0) / 60:.1f} min", flush=True)
    lines.append(f"| | bicubic | {r0['bicubic_psnr']:.3f} | {r0['bicubic_hf']:.3f} | {r0['bicubic_color']:.3f} | | |")
    text = (header("NoGAN's GAN stage with a high-pass critic") + f"Run: `{run}`; one cycle per critic input from its pretrained "
            f"generator ({args.gan_steps} GAN steps, a checkpoint every {args.checkpoint_every}), scored on its {len(ng.valid_pairs)} "
            f"validation photos (x4, Y, border shaved; HF and colourfulness: output / original).\n\n" + '\n'.join(lines) + '\n')
    print(text)
    if args.out: Path(args.out).write_text(text)
