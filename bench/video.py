"""Video upscaling: frames per second for 1920x1080 output and the flicker ratio, on a clip made from a real photo.

usage: python bench/video.py [PHOTO] [--model PATH] [--frames 48] [--engines torch,onnx] [--cpu] [--out bench/results/video_cpu.md]
The clip: a slow diagonal pan of a 480x270 window across the photo (default: the first BSDS500 test photo if
SUPERRES_DATA points at it, else scikit-learn's china.jpg) enlarged to 640x400, 24 fps, H.264 as a camera or phone
would write it, with a 440 Hz tone as its sound. `superres upscale`'s video path (`upscale_video`) upscales it x4 to
1920x1080 with each engine; reported are frames per second (decode + network + encode) and the flicker ratio:
mean absolute frame-to-frame difference of the output / that of bicubic-upscaled input frames (1.0 = no added flicker).
"""
import argparse, json, os, subprocess, tempfile
from pathlib import Path
import numpy as np
from PIL import Image
import imageio_ffmpeg
from superres_course.core import load_pil, sample_photos, image_files
from superres_course.upscaler import Upscaler, pick_device
from superres_course.inference import upscale_video, video_info
from _record import header

def pan_clip(photo:Image.Image, dst:Path, n:int, size=(480, 270), fps:int=24):
    "A diagonal pan across `photo` (enlarged to 640x400) with a tone, as H.264 + AAC"
    big = photo.convert('RGB').resize((640, 400), Image.BICUBIC)
    silent = dst.with_name('silent.mp4')
    w = imageio_ffmpeg.write_frames(str(silent), size, fps=fps, quality=7, macro_block_size=1, ffmpeg_log_level='error')
    w.send(None)
    for i in range(n):
        x, y = round(i * (640 - size[0]) / max(n - 1, 1)), round(i * (400 - size[1]) / max(n - 1, 1))
        w.send(np.asarray(big.crop((x, y, x + size[0], y + size[1]))).tobytes())
    w.close()
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), '-loglevel', 'error', '-i', str(silent), '-f', 'lavfi', '-i',
                    f'sine=frequency=440:duration={n / fps}', '-c:v', 'copy', '-c:a', 'aac', '-shortest', str(dst)], check=True)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('photo', nargs='?', default=None); ap.add_argument('--model', default=None)
    ap.add_argument('--frames', type=int, default=48); ap.add_argument('--engines', default='torch,onnx')
    ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default='bench/results/video_cpu.md')
    args = ap.parse_args()
    bsds = Path(os.environ.get('SUPERRES_DATA', '/nonexistent'))/'bsds500'/'test'
    photo_path = Path(args.photo) if args.photo else (image_files(bsds)[0] if bsds.is_dir() else sample_photos()[0])
    rows, res = [], dict(photo=photo_path.name, frames=args.frames, engines={})
    with tempfile.TemporaryDirectory() as d:
        clip = Path(d)/'pan.mp4'
        pan_clip(load_pil(photo_path), clip, args.frames)
        for engine in args.engines.split(','):
            up = Upscaler(args.model, 'cpu' if engine == 'onnx' else pick_device(args.cpu), engine=engine)
            rep = upscale_video(clip, Path(d)/f'out_{engine}.mp4', up, stats=True, progress=False)
            info = video_info(rep.path)
            r = dict(device=str(up.device), frames_per_s=round(rep.frames / rep.seconds, 3), flicker=round(rep.flicker, 4),
                     out_size=list(info['size']), out_fps=info['fps'], audio='audio_codec' in info)
            res['engines'][engine] = r
            rows.append(f"| {'ONNX Runtime' if engine == 'onnx' else 'PyTorch'} ({r['device']}) | {rep.frames} | "
                        f"{info['size'][0]}x{info['size'][1]} @ {info['fps']:g} fps{', audio' if r['audio'] else ''} | "
                        f"{r['frames_per_s']:.2f} | {r['flicker']:.3f} |")
    text = header("Video: speed and flicker") + \
        f"Clip: {args.frames} frames of 480x270 at 24 fps (H.264, AAC tone), a diagonal pan across `{photo_path.name}`; " \
        f"upscaled x4 to 1920x1080 by `upscale_video` (decode, network, encode).\n\n" \
        "| engine | frames | output | frames/s | flicker (1.0 = as bicubic) |\n|---|---|---|---|---|\n" + '\n'.join(rows) + \
        f"\n\n```json\n{json.dumps(res, indent=1)}\n```\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text); print(text)
