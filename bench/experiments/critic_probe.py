"""Can a critic tell the generator's outputs (or plain bicubic upscales) from real photos? Critic pretraining, probed.

usage: python bench/experiments/critic_probe.py REAL_DIR [--fakes DIR] [--scale 4] [--max-images 200] [--size 64] [--bs 8]
                                   [--epochs 6] [--lr 1e-3] [--critics patch,gan_critic,small_spectral,small_batchnorm] [--out FILE]

NoGAN's step 3 trains the critic as a real/fake classifier until its loss is below a threshold. This trains each critic
of `--critics` exactly as `pretrain_critic` does (`critic_learner`: fastai `Learner`, `AdaptiveLoss(BCEWithLogitsLoss)`, one cycle at
`--lr`, random `--size` crops) on [fakes, real] and reports its training loss (chance: ln 2 = 0.693) and validation
accuracy after each epoch. Fakes: `--fakes DIR` (e.g. a NoGAN run's `generated/`), or by default the bicubic x`--scale`
upscales of the benchmark LR of the real photos, the easiest fakes an SR critic can meet.
- patch: NoGAN's default critic (`patch_critic`: small_spectral with its logits scaled by 16);
- gan_critic: fastai's `gan_critic` (spectral norm, nf 128), NoGAN's critic before `patch_critic`;
- small_spectral: four strided 4x4 convs (64-512 features), spectral norm, LeakyReLU 0.2;
- small_batchnorm: the same with batch norm instead: the control;
- small_weightnorm, small_plain: the same with weight norm, or with no normalisation at all.
A name followed by `@G` (e.g. `gan_critic@8`) multiplies that critic's logits by G: a spectral-norm critic is about
1-Lipschitz, so its logits can differ no more than its inputs do, and an SR output differs from a photo by little.
Besides the per-epoch validation accuracy (one random crop per held-out image), each critic is scored on every
non-overlapping crop of the held-out images, real and fake (`held-out crops`): loss and accuracy per crop.
"""
import argparse, tempfile
from functools import partial
from pathlib import Path
import numpy as np, torch, torch.nn as nn
from fastai.vision.all import ConvLayer, NormType, Flatten, ProgressCallback, TensorImage, set_seed
from superres_course.core import image_files, load_pil
from superres_course.metrics import crop_to_scale, make_lr, bicubic_upscale
from superres_course.critic import critic_dataloaders, critic_learner, sr_critic, LogitScale
import sys; sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # bench/: _record
from _record import header

def small_critic(norm:NormType, nf:int=64) -> nn.Sequential:
    "Four strided 4x4 convs and a 4x4 conv to one logit per 64 px crop"
    conv = partial(ConvLayer, ks=4, stride=2, act_cls=partial(nn.LeakyReLU, negative_slope=0.2), norm_type=norm)
    return nn.Sequential(conv(3, nf), conv(nf, nf * 2), conv(nf * 2, nf * 4), conv(nf * 4, nf * 8),
                         ConvLayer(nf * 8, 1, ks=4, padding=0, bias=False, act_cls=None,
                                   norm_type=NormType.Spectral if norm == NormType.Spectral else None), Flatten())

def held_out(learn, size:int, max_crops:int=12) -> tuple[float, float, int]:
    "(BCE loss, accuracy, crops) of the critic on the non-overlapping `size` crops of its validation images (up to `max_crops` each)"
    dls, model = learn.dls, learn.model.eval()
    losses, hits = [], []
    for f, label in zip(dls.valid_ds.items, dls.valid_ds.tls[1]):
        im = np.asarray(load_pil(f))                                   # uint8: after_batch divides by 255
        h, w = im.shape[0] // size, im.shape[1] // size
        crops = [im[i * size:(i + 1) * size, j * size:(j + 1) * size] for i in range(h) for j in range(w)][:max_crops]
        t = torch.from_numpy(np.stack(crops)).permute(0, 3, 1, 2)
        t = dls.valid.after_batch(TensorImage(t.contiguous().to(dls.device)))   # the same normalisation as training
        with torch.no_grad(): logits = model(t).float()
        y = torch.full_like(logits, float(int(label)))                  # vocab ['fake', 'real']: 1 = real
        losses.append(nn.functional.binary_cross_entropy_with_logits(logits, y, reduction='none').mean(1).cpu())
        hits.append(((logits.mean(1) > 0).float() == y[:, 0]).float().cpu())
    l, a = torch.cat(losses), torch.cat(hits)
    return float(l.mean()), float(a.mean()), len(a)

def make_critic(name):
    base, _, gain = name.partition('@')
    net = CRITICS[base]()
    return nn.Sequential(net, LogitScale(float(gain))) if gain else net

CRITICS = dict(patch=lambda: sr_critic(), gan_critic=lambda: sr_critic(arch='fastai', nf=128), small_spectral=lambda: small_critic(NormType.Spectral),
               small_batchnorm=lambda: small_critic(NormType.Batch), small_weightnorm=lambda: small_critic(NormType.Weight),
               small_plain=lambda: small_critic(None))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('real'); ap.add_argument('--fakes', default=None); ap.add_argument('--scale', type=int, default=4)
    ap.add_argument('--max-images', type=int, default=200); ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--bs', type=int, default=8); ap.add_argument('--epochs', type=int, default=6)
    ap.add_argument('--lr', type=float, default=1e-3); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--critics', default='gan_critic,small_spectral,small_batchnorm'); ap.add_argument('--out', default=None)
    args = ap.parse_args()
    reals = image_files(args.real)[:args.max_images]
    tmp = tempfile.TemporaryDirectory()
    if args.fakes: fakes, what = Path(args.fakes), f"`{args.fakes}`"
    else:
        fakes, what = Path(tmp.name), f"bicubic x{args.scale} upscales of the benchmark LR of the real photos"
        for f in reals:
            hr = crop_to_scale(load_pil(f), args.scale)
            bicubic_upscale(make_lr(hr, args.scale), args.scale).save(fakes/f'{f.stem}.png')
    lines = []
    for name in args.critics.split(','):
        set_seed(args.seed)
        dls = critic_dataloaders(fakes, reals, size=args.size, bs=args.bs, seed=args.seed, num_workers=0)
        learn = critic_learner(dls, make_critic(name))
        learn.remove_cb(ProgressCallback); learn.logger = lambda r: print(name, r, flush=True)
        learn.fit_one_cycle(args.epochs, args.lr)
        losses, per_epoch = [float(l) for l in learn.recorder.losses], len(dls.train)
        train = [np.mean(losses[i * per_epoch:(i + 1) * per_epoch]) for i in range(args.epochs)]
        accs = [float(v[2]) for v in learn.recorder.values]
        n_par = sum(p.numel() for p in learn.model.parameters())
        ho = held_out(learn, args.size)
        print(name, 'held-out crops', ho, flush=True)
        lines.append(f"| {name} ({n_par / 1e6:.2f} M) | " + ' | '.join(f"{l:.3f} / {a:.2f}" for l, a in zip(train, accs)) + f" | {ho[0]:.3f} / {ho[1]:.2f} ({ho[2]}) |")
    text = header("Critic pretraining probe: real/fake at the NoGAN CPU size") + \
        f"Real: the first {len(reals)} photos of `{args.real}`; fakes: {what}. {args.size} px random crops, batch {args.bs}, " \
        f"{len(dls.train)} steps per epoch, one cycle at lr {args.lr}, seed {args.seed}. Each cell: mean training loss " \
        f"(chance 0.693) / validation accuracy ({len(dls.valid_ds)} crops) after that epoch.\n\n" \
        "| critic (parameters) | " + ' | '.join(f"epoch {i + 1}" for i in range(args.epochs)) + " | held-out crops: loss / accuracy (crops) |\n" + \
        "|---|" + "---|" * (args.epochs + 1) + "\n" + '\n'.join(lines) + "\n"
    if args.out: Path(args.out).write_text(text)
    print(text)
