"""What a NoGAN GAN stage does to the generator, step by step: one cycle per variant from the same pretrained generator, every checkpoint scored.

usage: python bench/experiments/nogan_gan_stage.py RUN_DIR [--freeze-bn on off] [--weights 0.1,1.5] [--gan-steps N] [--checkpoint-every K] [--work DIR] [--cpu] [--out FILE]

RUN_DIR is a NoGAN run with its pretrained generator (cycle 0). For each `--freeze-bn` choice (`gan_freeze_bn`: the
generator's BatchNorm statistics fixed in the GAN stage, or updated from each batch as in plain training), a copy of
RUN_DIR's pretraining runs cycle 1 as `NoGAN.cycle` does (the predictions are made once and shared: they come from the
same cycle-0 generator). Every checkpoint of the stage is scored on the run's validation photos, whole, as the cycle table
scores them (PSNR-Y, HF and colourfulness ratios), and the final generator also on the validation crops at the training
size, fed to the network as in training: a generator that is fine on crops and broken on whole photos has learned
something that only holds with the batch statistics it was trained with.
"""
import argparse, json, tempfile, time, warnings
from pathlib import Path
import torch
from superres_course.model_files import load_sr_model
import sys; sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # bench/: _record
from _record import header
from _pretraining import copy_pretraining, nogan_from_pretraining

def pair(s): a, b = s.split(','); return float(a), float(b)

def crop_psnr(gen_file, ng) -> float:
    "Mean RGB PSNR of the generator on the validation crops of `ng.dls` (normalized inputs, eval mode), as the GAN stage sees them"
    net, spec = load_sr_model(gen_file)
    std = torch.tensor(spec.norm_stats[1]).view(1, -1, 1, 1)
    vals = []
    with torch.no_grad():
        for xb, yb in ng.dls.valid:
            err = (((net(xb.cpu()) - yb.cpu()) * std) ** 2).mean((1, 2, 3))      # in [0, 1] pixel units
            vals += (-10 * torch.log10(err)).tolist()
    return sum(vals) / len(vals)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('run'); ap.add_argument('--freeze-bn', nargs='+', choices=['on', 'off'], default=['off', 'on'])
    ap.add_argument('--weights', type=pair, default=None, help="weights_gen (default: the run's)")
    ap.add_argument('--gan-steps', type=int, default=None); ap.add_argument('--checkpoint-every', type=int, default=None)
    ap.add_argument('--work', default=None); ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default=None)
    args = ap.parse_args()
    warnings.simplefilter('ignore')
    run, work = Path(args.run), Path(args.work or tempfile.mkdtemp())
    results, first, settings = [], None, None
    for choice in args.freeze_bn:
        dst = work/f'freeze_bn_{choice}'
        changes = {k: v for k, v in (('weights_gen', args.weights and list(args.weights)), ('gan_steps', args.gan_steps),
                                     ('checkpoint_every', args.checkpoint_every)) if v}
        settings = copy_pretraining(run, dst, gan_freeze_bn=choice == 'on', **changes)
        t0 = time.time()
        ng = nogan_from_pretraining(settings['hr'], dst, first, cpu=args.cpu, show_progress=False, log=lambda m: print(' ', m, flush=True))
        ng.cycle()
        first = first or dst/'generated'       # every choice starts from the same cycle-0 generator: its predictions, made once
        pts = ng.score_checkpoints(1)
        crops = (crop_psnr(dst/'cycle_0'/'generator.pth', ng), crop_psnr(dst/'cycle_1'/'generator.pth', ng))
        results.append((choice, ng.table, pts, crops, (time.time() - t0) / 60))
        for p in pts: print(choice, p, flush=True)
    r0 = results[0][1][0]
    lines = ["| `gan_freeze_bn` | generator | PSNR-Y, whole photos (dB) | HF ratio | colourfulness ratio | PSNR, training-size crops (dB) |",
             "|---|---|---|---|---|---|",
             f"| | pretrained (cycle 0) | {r0['psnr']:.3f} | {r0['hf']:.3f} | {r0['color']:.3f} | {results[0][3][0]:.3f} |"]
    for choice, table, pts, crops, minutes in results:
        for p in pts:
            last = p is pts[-1]
            lines.append(f"| {choice} | step {p['gan_step']}{' (the end)' if last else ''} | {p['psnr']:.3f} | {p['hf']:.3f} | {p['color']:.3f} | "
                         f"{crops[1]:.3f} |" if last else f"| {choice} | step {p['gan_step']} | {p['psnr']:.3f} | {p['hf']:.3f} | {p['color']:.3f} | |")
    lines.append(f"| | bicubic | {r0['bicubic_psnr']:.3f} | {r0['bicubic_hf']:.3f} | {r0['bicubic_color']:.3f} | |")
    minutes = ', '.join(f"{c}: {m:.1f}" for c, _, _, _, m in results)
    shown = {k: settings[k] for k in ('size', 'bs', 'max_images', 'gen_epochs', 'critic_arch', 'critic_crops', 'critic_epochs', 'gan_steps', 'gan_lr', 'weights_gen', 'checkpoint_every')}
    text = (header("NoGAN's GAN stage, checkpoint by checkpoint: BatchNorm statistics fixed or updated") +
            f"\nRun: `{run}` (its settings: `{json.dumps(shown)}`); one cycle per choice from its pretrained generator, the same predictions and "
            f"critic data. Scores on its {len(ng.valid_pairs)} validation photos, as the cycle table (x{ng.scale if ng.scale > 1 else 1}, Y, border shaved; HF and colourfulness: "
            f"output / original, 1 = as the original). Last column: RGB PSNR of the final generator on the validation crops at the training "
            f"size, as the GAN stage sees them. Minutes per cycle here: {minutes}.\n\n" + '\n'.join(lines) + '\n')
    print(text)
    if args.out: Path(args.out).write_text(text)
