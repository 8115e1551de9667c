"""Train the feature extractor the package ships (`superres_course/weights/scale_vgg.pth`): a `small_vgg` on scale prediction.

usage: python bench/train_extractor.py HR_DIR [--out superres_course/weights/scale_vgg.pth] [--epochs 5] [--n-train 8192]
                                      [--size 64] [--bs 64] [--lr 3e-3] [--valid-images 20] [--report FILE]

The pretext task is lesson 12's (`ScaleCrops`: a crop shrunk by 1, 2, 3 or 4 and resized back; say which), the network
lesson 5's `small_vgg`. Training photos: all but the last `--valid-images` of HR_DIR (sorted); the held-out accuracy is
measured on fixed crops of those. The loss weights of the four layers read (the end of each stage) (`balanced_wgts`) are set on x4 bicubic
upscales of held-out crops, so that each feature term starts at a quarter of the L1 pixel term measured, as
the U-Nets' feature loss measures it, on ImageNet-normalised data.
"""
import argparse, time
from pathlib import Path
import torch
from fastai.vision.all import Learner, CrossEntropyLossFlat, accuracy, set_seed, ProgressCallback, imagenet_stats
from superres_course.core import image_files
from superres_course.losses import small_vgg, maxpool_layers, save_extractor, load_extractor, balanced_wgts, FeatureExtractor, SCALE_VGG_FILE
from superres_course.unet_from_scratch import load_photos, crop_dataloaders, ScaleCrops, CropPairs, SCALE_FACTORS
from _record import header

NFS = (32, 64, 128, 256)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('hr'); ap.add_argument('--out', default=str(SCALE_VGG_FILE))
    ap.add_argument('--epochs', type=int, default=5); ap.add_argument('--n-train', type=int, default=8192)
    ap.add_argument('--size', type=int, default=64); ap.add_argument('--bs', type=int, default=64)
    ap.add_argument('--lr', type=float, default=3e-3); ap.add_argument('--valid-images', type=int, default=20)
    ap.add_argument('--seed', type=int, default=42); ap.add_argument('--report', default=None)
    args = ap.parse_args()
    files = image_files(args.hr)
    train_photos, valid_photos = load_photos(files[:-args.valid_images]), load_photos(files[-args.valid_images:])
    set_seed(args.seed)
    dls = crop_dataloaders(train_photos, valid_photos, args.n_train, 1024, args.size, bs=args.bs, dataset=ScaleCrops, num_workers=0)
    net = small_vgg(NFS, n_out=len(SCALE_FACTORS))
    learn = Learner(dls, net, loss_func=CrossEntropyLossFlat(), metrics=accuracy)
    learn.remove_cb(ProgressCallback); learn.logger = lambda r: print('epoch', r, flush=True)
    t0 = time.time()
    learn.fit_one_cycle(args.epochs, args.lr)
    minutes = (time.time() - t0) / 60
    acc = float(learn.validate()[1])
    layers = maxpool_layers(net) + [len(net) - 4]           # the end of every stage (the last: the ReLU before the head's pooling)
    net = net.eval().cpu()
    pairs = CropPairs(valid_photos, 256, args.size, scale=4, train=False)        # x4 bicubic inputs, as the generator starts
    x, y = (torch.stack(t) for t in zip(*[pairs[i] for i in range(len(pairs))]))
    wgts = balanced_wgts(FeatureExtractor(net, layers), x, y, stats=imagenet_stats)   # the pixel term as the U-Net's loss sees it
    out = save_extractor(args.out, net, NFS, layers, wgts, task='scale prediction', factors=list(SCALE_FACTORS),
                         data=f"{len(train_photos)} photos of {Path(args.hr).name}", crops=args.n_train * args.epochs,
                         size=args.size, accuracy=round(acc, 4))
    ext = load_extractor(out)                           # what users get: the half-precision file read back
    text = header("The shipped feature extractor: small_vgg on scale prediction") + \
        f"Training: {len(train_photos)} photos of `{args.hr}` (the last {args.valid_images} held out), {args.epochs} epochs of " \
        f"{args.n_train} random {args.size} px crops, batch {args.bs}, one cycle at lr {args.lr}, seed {args.seed}; {minutes:.1f} min.\n\n" \
        f"| | |\n|---|---|\n| scale prediction accuracy, 1024 held-out crops (chance {1 / len(SCALE_FACTORS):.2f}) | {acc:.3f} |\n" \
        f"| parameters | {sum(p.numel() for p in ext.parameters()) / 1e6:.2f} M |\n| file | {out.stat().st_size / 1e6:.2f} MB (half precision) |\n" \
        f"| layers read | {layers} |\n| loss weights (`balanced_wgts`, x4 bicubic) | {[round(w, 4) for w in wgts]} |\n"
    if args.report: Path(args.report).write_text(text)
    print(text)
