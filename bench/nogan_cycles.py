"""PSNR/SSIM and the high-frequency ratio (lesson 3) of every cycle of a NoGAN run folder (cycle 0 = the pretrained generator) on HR photos, next to bicubic.

usage: python bench/nogan_cycles.py RUN_DIR HR_DIR [--mse-model PATH] [--name "BSDS500 test"] [--max-images K] [--cpu] [--out FILE]
                                    [--grid FILE.jpg] [--grid-images N] [--crop C] [--checkpoints]
Same protocol as `superres bench HR_DIR --scale S --model RUN_DIR/cycle_K/generator.pth`, for each K: the NoGAN
report of issue 5 (what the GAN cycles bought, or cost, against the pretrained generator). `--mse-model`: a model
trained with plain MSE (`superres train ... --loss mse`), scored on the same images as the reference NoGAN is
compared with. `--grid`: the centre crops (--crop px, shown at least 256 px high) of the first N photos through bicubic | MSE model | cycle 0 | cycle 1 ... | HR,
the same inputs as the scores (benchmark LR), so the eye can check what the numbers say. `--checkpoints`: each cycle's
GAN-stage checkpoints (`gan_iter_*.pth`) too, before the cycle's end, to find the inflection point on the test photos.
"""
import argparse, csv, json
from pathlib import Path
from superres_course.core import image_files, load_pil, to_pil, pil_to_srimage, image_grid, save_image
from superres_course.metrics import crop_to_scale, make_lr, bicubic_upscale
from superres_course.runs import centre_crop
from superres_course.upscaler import Upscaler
from superres_course.inference import bench_model
from _record import header

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('run'); ap.add_argument('hr'); ap.add_argument('--name', default=None)
    ap.add_argument('--max-images', type=int, default=None); ap.add_argument('--cpu', action='store_true')
    ap.add_argument('--out', default=None); ap.add_argument('--mse-model', default=None)
    ap.add_argument('--grid', default=None); ap.add_argument('--grid-images', type=int, default=4)
    ap.add_argument('--crop', type=int, default=128)
    ap.add_argument('--checkpoints', action='store_true', help="score each cycle's GAN-stage checkpoints too")
    args = ap.parse_args()
    run = Path(args.run)
    cycles = sorted((int(p.name.split('_')[1]), p) for p in run.glob('cycle_*') if (p/'generator.pth').exists())
    if not cycles: raise SystemExit(f"{run}: no cycle_K/generator.pth")
    gens = []                                            # (label, model file) in training order
    log = run/'cycles.csv'                               # generator steps of each cycle's GAN stage
    cycle_steps = ({int(r['cycle']): int(float(r['gen_steps'])) for r in csv.DictReader(open(log)) if r.get('gen_steps')}
                   if log.exists() else {})
    for k, d in cycles:
        if args.checkpoints:                             # the stage's last step is its generator.pth: scored once, as the cycle
            steps = [(int(p.stem.split('_')[-1]), p) for p in sorted(d.glob('gan_iter_*.pth'))]
            gen_steps = cycle_steps.get(k)
            gens += [(f'{k}, step {n}', p) for n, p in steps if n != gen_steps]
        gens.append((f'{k}', d/'generator.pth'))
    rows, ups = [], []                                   # ups: (label, Upscaler), kept for the grid
    for label, path in gens:
        up = Upscaler(path, 'cpu' if args.cpu else None)
        ups.append((f'cycle {label}', up))
        s = bench_model(args.hr, up.scale, up, progress=False, max_images=args.max_images).summary()
        rows.append(dict(cycle=label, scale=up.scale, **s)); print(label, s, flush=True)
    if args.mse_model:
        up = Upscaler(args.mse_model, 'cpu' if args.cpu else None)
        if up.scale != rows[0]['scale']: raise SystemExit(f"{args.mse_model}: x{up.scale}, but the run's generators are x{rows[0]['scale']}")
        s = bench_model(args.hr, up.scale, up, progress=False, max_images=args.max_images).summary()
        ups.insert(0, ('MSE model', up))
        mse_row = f"| MSE model (`{args.mse_model}`) | {s['psnr']:.3f} | {s['ssim']:.4f} | {s['hf']:.3f} | {s['gain_db']:+.3f} |\n"
        print('mse', s, flush=True)
    else: mse_row = ''
    settings = json.loads((run/'nogan.json').read_text()) if (run/'nogan.json').exists() else {}
    text = header(f"NoGAN cycles of {run} on {args.name or args.hr}") + \
        f"Protocol: as `superres bench`: HR cropped to a multiple of the scale, LR by antialiased bicubic, PSNR/SSIM on Y " \
        f"with the border shaved; {rows[0]['n']} images. Cycle 0 is the pretrained generator (step 1; the settings below say how it was made). HF: the " \
        f"high-frequency ratio on Y (Laplacian-of-Gaussian energy, output over HR; 1 = as detailed as the HR photo).\n\n" \
        "| cycle | PSNR-Y (dB) | SSIM-Y | HF | gain over bicubic (dB) |\n|---|---|---|---|---|\n" + \
        ''.join(f"| {r['cycle']} | {r['psnr']:.3f} | {r['ssim']:.4f} | {r['hf']:.3f} | {r['gain_db']:+.3f} |\n" for r in rows) + \
        mse_row + f"| bicubic | {rows[0]['bicubic_psnr']:.3f} | {rows[0]['bicubic_ssim']:.4f} | {rows[0]['bicubic_hf']:.3f} | |\n\n" + \
        f"Run settings (`nogan.json`):\n\n```json\n{json.dumps(settings, indent=1)}\n```\n"
    if args.grid:
        scale, rows, names = rows[0]['scale'], [], []
        for f in image_files(args.hr)[:args.grid_images]:
            hr = crop_to_scale(load_pil(f), scale)
            lr = make_lr(hr, scale)
            outs = [to_pil(up(pil_to_srimage(lr)), bits=8, alpha=False, mode='RGB') for _, up in ups]
            rows.append([centre_crop(im, args.crop) for im in [bicubic_upscale(lr, scale)] + outs + [hr]])
            names.append(f.stem)
        grid = image_grid(rows, col_labels=['bicubic'] + [n for n, _ in ups] + ['HR'], row_labels=names, cell=max(args.crop, 256))
        save_image(grid, args.grid, overwrite=True, quality=90)
        text += f"\nCentre crops ({args.crop} px) of the first {len(rows)} photos: [{Path(args.grid).name}]({Path(args.grid).name})\n"
    out = Path(args.out or f"bench/results/nogan_cycles_{run.name}.md")
    out.write_text(text); print(text)
