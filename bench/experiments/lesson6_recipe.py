"""Lesson 6's recipe, probed piece by piece: a residual U-Net trained with a pixel loss on lesson-7 pairs, then fine-tuned
with the feature loss at several weightings, each model scored on whole test photos beside the crappified input.

usage: python bench/experiments/lesson6_recipe.py HR_TRAIN HR_TEST [--loss mse|l1] [--max-zoom 2] [--epochs 12] [--pct-start 0.25]
           [--finetune default:3e-4 nogram:3e-4 feat4:3e-4 feat4nogram:3e-4] [--ft-epochs 4] [--n-test 50] [--out FILE]
           [--init RUN/model.pth]

The data is the lesson's: HR_TRAIN crappified once into a folder with the `lesson7` preset (seed 0), 20% held out, 128 px
crops in batches of 8 (`--max-zoom 2` adds lesson 7's zoom augmentation; `--on-the-fly` crappifies the training photos
anew every epoch instead, as `train_sr` does). The pixel model is the lesson's U-Net
(`sr_unet(residual=True)` on the installed ImageNet EfficientNet-Lite0): one frozen epoch at 1e-3, then `--epochs`
unfrozen at `slice(1e-5, 1e-3)`; `--init` starts it from a model file of the same network instead (a `superres train --task
lesson7 --arch unet` run), trained no further with `--epochs 0`. Each `--finetune NAME:LR` starts from a copy of it and trains `--ft-epochs` with
`FeatureLoss` at `slice(LR / 100, LR)`, `pct_start` 0.3: `default` is the extractor's own weights, `nogram` drops the Gram
terms, `feat2` / `feat4` divide the feature weights by 2 / 4 (the Gram terms by 4 / 16), `feat4nogram` drops the Gram terms too, `gram2` / `gram4` / `gram6` keep the features and
weigh the Gram terms at 0.2 / 0.4 / 0.6 / 0.8 of their own weight. Scores: the first `--n-test` HR_TEST photos crappified
with seed 1, restored whole, PSNR-Y / high-frequency ratio / colourfulness ratio by lesson 6's `score_generator`, the
crappified input's own beside them.
"""
import argparse, copy, shutil, tempfile, time
from pathlib import Path
from fastai.vision.all import imagenet_stats, L1LossFlat, MSELossFlat
from superres_course.core import image_files
from superres_course.crappify import crappify_folder
from superres_course.data import sr_dataloaders
from superres_course.models import sr_unet, sr_learner
from superres_course.model_files import ModelSpec, load_sr_model
from superres_course.losses import FeatureLoss, perceptual_extractor, LITE0_WGTS, LITE0_GRAM
from superres_course.runs import score_generator
from superres_course.upscaler import Upscaler
import sys; sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # bench/: _record
from _record import header

FINETUNES = dict(default={}, nogram=dict(gram_weight=0.), feat2=dict(layer_wgts=[w / 2 for w in LITE0_WGTS]),
                 feat4=dict(layer_wgts=[w / 4 for w in LITE0_WGTS]),
                 feat4nogram=dict(layer_wgts=[w / 4 for w in LITE0_WGTS], gram_weight=0.),
                 **{f'gram{k}': dict(gram_weight=LITE0_GRAM * k / 10) for k in (2, 4, 6, 8)})   # the Gram terms at 0.2 ... 0.8 of their weight

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('train'); ap.add_argument('test')
    ap.add_argument('--loss', choices=('mse', 'l1'), default='l1'); ap.add_argument('--max-zoom', type=float, default=1.)
    ap.add_argument('--on-the-fly', action='store_true', help="training pairs crappified anew every epoch (as train_sr), not once into a folder")
    ap.add_argument('--epochs', type=int, default=12); ap.add_argument('--pct-start', type=float, default=0.25)
    ap.add_argument('--finetune', nargs='*', default=[f'{n}:3e-4' for n in FINETUNES])
    ap.add_argument('--ft-epochs', type=int, default=4); ap.add_argument('--n-test', type=int, default=50)
    ap.add_argument('--out', default=None)
    ap.add_argument('--init', default=None, help="the pixel model's starting weights: a model file of the lesson's U-Net")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp())
    crappify_folder(args.train, work/'crappy', preset='lesson7', seed=0, progress=False)
    crappify_folder(args.test, work/'test', preset='lesson7', seed=1, max_files=args.n_test, progress=False)
    pairs = [(work/'test'/f'{f.stem}.png', f) for f in image_files(args.test)[:args.n_test]]
    pairs_from = dict(crappifier='lesson7', upsample=True) if args.on_the_fly else dict(lr=work/'crappy')
    dls = sr_dataloaders(args.train, size=128, scale=None, bs=8, norm_stats=imagenet_stats, num_workers=0,
                         valid_pct=0.2, max_zoom=args.max_zoom, **pairs_from)
    rows = []
    def report(name, learn, t0):
        s = score_generator(Upscaler(learn.model, spec=ModelSpec('unet', {}, scale=1, norm_stats=imagenet_stats)), pairs, n_show=0)
        rows.append(f"| {name} | {s['psnr']:.3f} | {s['psnr'] - s['bicubic_psnr']:+.3f} | {s['hf']:.3f} | {s['color']:.3f} | {(time.time() - t0) / 60:.1f} |")
        if len(rows) == 1: rows.insert(0, f"| crappified input | {s['bicubic_psnr']:.3f} | | {s['bicubic_hf']:.3f} | {s['bicubic_color']:.3f} | |")
        print(rows[-1], flush=True)
    t0, lr = time.time(), 1e-3
    pixel = sr_learner(dls, sr_unet(img_size=(128, 128), residual=True), L1LossFlat() if args.loss == 'l1' else MSELossFlat(),
                       wd=1e-3, path=work)
    if args.init: pixel.model.load_state_dict(load_sr_model(args.init)[0].state_dict())
    else: pixel.freeze(); pixel.fit_one_cycle(1, lr, pct_start=0.9)
    if args.epochs: pixel.unfreeze(); pixel.fit_one_cycle(args.epochs, slice(lr / 100, lr), pct_start=args.pct_start)
    report(f"{args.loss.upper()}: {f'{args.init} +' if args.init else '1 frozen +'} {args.epochs} unfrozen epochs (pct_start {args.pct_start:g}, max_zoom {args.max_zoom:g}, "
           f"{'crappified on the fly' if args.on_the_fly else 'crappified once'})", pixel, t0)
    extractor = perceptual_extractor()
    for spec in args.finetune:
        name, ft_lr = spec.split(':'); ft_lr = float(ft_lr)
        t0 = time.time()
        ft = sr_learner(dls, copy.deepcopy(pixel.model), FeatureLoss(extractor, stats=imagenet_stats, **FINETUNES[name]), wd=1e-3, path=work)
        ft.unfreeze(); ft.fit_one_cycle(args.ft_epochs, slice(ft_lr / 100, ft_lr), pct_start=0.3)
        report(f"+ feature loss '{name}', {args.ft_epochs} epochs at {ft_lr:g}", ft, t0)
    shutil.rmtree(work)
    text = header("Lesson 6's recipe, probed: a pixel-loss residual U-Net, then feature-loss fine-tunes") + \
        f"{len(pairs)} test photos, lesson-7 crappified (seed 1) and restored whole.\n\n" + \
        "| model | PSNR-Y (dB) | gain over the input | HF ratio | colourfulness ratio | minutes |\n|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    if args.out: Path(args.out).write_text(text)
    print(text)
