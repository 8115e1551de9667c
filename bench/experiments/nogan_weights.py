"""NoGAN's `weights_gen`, chosen by measurement: one cycle per (w_adv, w_content) from the same pretrained generator, scored on test photos.

usage: python bench/experiments/nogan_weights.py RUN_DIR HR_TEST --weights 1,1.5 0.1,1.5 [--gan-steps N] [--max-images K] [--work DIR] [--cpu] [--out FILE]

RUN_DIR is a NoGAN run with its pretrained generator (cycle 0). For each `--weights` choice, a copy of RUN_DIR's
pretraining (nogan.json, cycles.csv's cycle 0, crappy/, cycle_0/) gets that `weights_gen` and runs cycle 1 exactly as
`NoGAN.cycle` does: the generator's predictions (made once: they are the same files for
every choice), the critic's pretraining, the GAN stage. Its generator is then scored on
HR_TEST as `superres bench` scores a model (PSNR/SSIM on Y, border shaved, the high-frequency ratio of lesson 3), next to
the pretrained generator and bicubic, with the cycle's adversarial share of the generator loss and its critic's numbers.
Everything else comes from RUN_DIR's settings (`--gan-steps` aside), so the only difference between the rows is `weights_gen`.
"""
import argparse, tempfile, time
from pathlib import Path
from superres_course.upscaler import Upscaler
from superres_course.inference import bench_model
import sys; sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # bench/: _record
from _record import header
from _pretraining import copy_pretraining, nogan_from_pretraining

def pair(s): a, b = s.split(','); return float(a), float(b)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('run'); ap.add_argument('hr'); ap.add_argument('--weights', type=pair, nargs='+', required=True)
    ap.add_argument('--max-images', type=int, default=None); ap.add_argument('--work', default=None)
    ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default=None)
    ap.add_argument('--gan-steps', type=int, default=None, help="generator steps of the GAN stage (default: the run's)")
    args = ap.parse_args()
    run, work = Path(args.run), Path(args.work or tempfile.mkdtemp())
    dev = 'cpu' if args.cpu else None
    def score(model):
        up = Upscaler(model, dev)
        return bench_model(args.hr, up.scale, up, progress=False, max_images=args.max_images).summary(), up.scale
    b, scale = score(run/'cycle_0'/'generator.pth')
    def write_table(rows):
        lines = [f"| pretrained generator (cycle 0) | | {b['psnr']:.3f} | {b['ssim']:.4f} | {b['hf']:.3f} | | | |"]
        for w, s, r, minutes in rows:
            lines.append(f"| ({w[0]:g}, {w[1]:g}) | {float(r['adv_share']):.3f} | {s['psnr']:.3f} | {s['ssim']:.4f} | {s['hf']:.3f} | "
                         f"{float(r['critic_loss']):.3f} / {float(r['critic_accuracy']):.2f} | {int(float(r['gen_steps']))} / {int(float(r['gan_critic_iters']))} | {minutes:.1f} |")
        lines.append(f"| bicubic | | {b['bicubic_psnr']:.3f} | {b['bicubic_ssim']:.4f} | {b['bicubic_hf']:.3f} | | | |")
        text = header("NoGAN's weights_gen: one cycle from the same pretrained generator per choice") + \
            f"Run: `{run}` (its settings, `nogan.json`, below{f'; GAN stage of {args.gan_steps} generator steps' if args.gan_steps else ''}); scored on {b['n']} photos of `{args.hr}` as `superres bench` (x{scale}, Y, border shaved). " \
            "`weights_gen` = (w_adv, w_content): generator loss = w_adv x adversarial + w_content x feature loss. Adversarial share: " \
            "of the generator loss, averaged over the GAN stage. HF: high-frequency energy ratio, output / original (1 = as detailed). " \
            "Minutes: the cycle and its scoring here; the predictions (made once) count in the first row only.\n\n" \
            "| weights_gen | adversarial share | PSNR-Y (dB) | SSIM-Y | HF ratio | critic pretraining loss / accuracy | generator steps / critic iterations | minutes |\n" \
            "|---|---|---|---|---|---|---|---|\n" + '\n'.join(lines) + \
            f"\n\n```json\n{(run/'nogan.json').read_text().strip()}\n```\n"
        if args.out: Path(args.out).write_text(text)
        print(text, flush=True)
    rows, first = [], None
    for w in args.weights:
        dst = work/f'w_{w[0]:g}_{w[1]:g}'
        settings = copy_pretraining(run, dst, weights_gen=list(w), **({'gan_steps': args.gan_steps} if args.gan_steps else {}))
        t0 = time.time()
        ng = nogan_from_pretraining(settings['hr'], dst, first, cpu=args.cpu, show_progress=False, log=lambda m: print(' ', m, flush=True))
        ng.cycle()
        first = first or dst/'generated'       # every choice starts from the same cycle-0 generator: its predictions, made once
        r = ng.table[-1]
        s, _ = score(dst/'cycle_1'/'generator.pth')
        rows.append((w, s, r, (time.time() - t0) / 60)); print(w, s, flush=True)
        write_table(rows)                        # after every choice: a long run that is stopped keeps its finished rows

