"""Agreement of superres_course.metrics with scikit-image's independent PSNR/SSIM on real photos.

usage: python bench/metrics_agreement.py HR_DIR [--out bench/results/metrics_agreement.md]
SR images are bicubic x2/x3/x4 reconstructions (benchmark protocol); Y from skimage.color.rgb2ycbcr.
"""
import argparse, time
from pathlib import Path
import numpy as np
from skimage.color import rgb2ycbcr
from skimage.metrics import peak_signal_noise_ratio, structural_similarity
from superres_course.core import image_files, load_pil
from superres_course.metrics import crop_to_scale, make_lr, bicubic_upscale, psnr_image, ssim_image
from _record import header

def reference(sr, hr, s):
    y = lambda im: rgb2ycbcr(np.asarray(im))[..., 0][s:-s, s:-s]
    a, b = y(sr), y(hr)
    return (peak_signal_noise_ratio(b, a, data_range=255),
            structural_similarity(b, a, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('hr'); ap.add_argument('--out', default='bench/results/metrics_agreement.md')
    args = ap.parse_args()
    files, t0 = image_files(args.hr), time.time()
    lines = ["| scale | photos | max abs diff PSNR (dB) | max abs diff SSIM | mean PSNR ours / skimage | mean SSIM ours / skimage |", "|---|---|---|---|---|---|"]
    for s in (2, 3, 4):
        ours, ref = [], []
        for f in files:
            hr = crop_to_scale(load_pil(f), s); sr = bicubic_upscale(make_lr(hr, s), s)
            ours.append((psnr_image(sr, hr, s), ssim_image(sr, hr, s))); ref.append(reference(sr, hr, s))
        o, r = np.array(ours), np.array(ref)
        d = np.abs(o - r).max(0)
        lines.append(f"| x{s} | {len(files)} | {d[0]:.2e} | {d[1]:.2e} | {o[:,0].mean():.4f} / {r[:,0].mean():.4f} | {o[:,1].mean():.5f} / {r[:,1].mean():.5f} |")
        assert d[0] < 0.01 and d[1] < 0.001, d
    text = header('PSNR/SSIM agreement with scikit-image') + f"Data: `{args.hr}` ({len(files)} photos). " \
        "SR = bicubic reconstruction by the benchmark protocol. Reference: `skimage.color.rgb2ycbcr` + " \
        "`peak_signal_noise_ratio` + `structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False)`.\n" \
        "Requirement: 0.01 dB / 0.001.\n\n" + '\n'.join(lines) + f"\n\nTime: {time.time() - t0:.0f} s.\n"
    Path(args.out).write_text(text); print(text)
