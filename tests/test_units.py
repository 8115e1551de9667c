"Fast checks of the library's pieces, in this process (seconds each): the end-to-end runs are in the other files, marked slow."
import inspect, math, struct
import numpy as np
import pytest
from PIL import Image, ImageFilter
from superres_course.cli import build_parser, run_options, train_options
from superres_course.core import sample_photos
from superres_course.crappify import crappify
from superres_course.distill import NCNN_FP16, detail_transfer, ncnn_tensors, realesrgan_model, teacher_file
from superres_course.inference import bench_model
from superres_course.metrics import Scores, hf_ratio_image, niqe, psnr_image, ssim_image
from superres_course.models import ARCHS
from superres_course.superres import TrainConfig, train_sr

def photo(w:int=256, h:int=192, i:int=0) -> Image.Image: return Image.open(sample_photos()[i]).convert('RGB').crop((0, 0, w, h))

def test_psnr_of_a_known_shift():
    hr = Image.new('RGB', (40, 30), (100, 100, 100))
    sr = Image.new('RGB', (40, 30), (110, 110, 110))
    dy = 10 * (65.481 + 128.553 + 24.966) / 255          # BT.601 luma of a gray shift of 10
    assert psnr_image(sr, hr) == pytest.approx(20 * math.log10(255 / dy), abs=1e-3)

def test_ssim_and_hf_ratio_order_what_they_should():
    p = photo()
    blurred = p.filter(ImageFilter.GaussianBlur(2))
    noisy = Image.fromarray(np.uint8(np.clip(np.asarray(p) + np.random.default_rng(0).normal(0, 20, (192, 256, 3)), 0, 255)))
    assert ssim_image(p, p) == pytest.approx(1.0) and ssim_image(blurred, p) < 0.95
    assert hf_ratio_image(p, p) == pytest.approx(1.0)
    assert hf_ratio_image(blurred, p) < 0.3 and hf_ratio_image(noisy, p) > 1.1

def test_niqe_prefers_the_photo_to_its_blur_and_refuses_a_small_image():
    p = photo()
    assert niqe(p) < niqe(p.filter(ImageFilter.GaussianBlur(2)))
    with pytest.raises(ValueError, match='192 px'): niqe(p.crop((0, 0, 150, 150)))

def test_scores_mean_leaves_out_unmeasured_niqe():
    s = Scores(rows=[dict(name='a', psnr=30., ssim=.9, hf=.5, niqe=20.), dict(name='b', psnr=20., ssim=.7, hf=.3, niqe=float('nan'))])
    m = s.mean
    assert (m['psnr'], m['niqe'], m['n']) == (25., 20., 2)
    assert 'NIQE' in s.table() and 'NIQE' not in Scores(rows=[dict(name='a', psnr=1., ssim=1., hf=1.)]).table()

def test_crappify_is_seeded_and_real_shrinks_x4():
    p = photo()
    a, b, c = crappify(p, 'real', seed=3), crappify(p, 'real', seed=3), crappify(p, 'real', seed=4)
    assert a.tobytes() == b.tobytes() and a.tobytes() != c.tobytes()
    assert a.size == (64, 48)

def test_detail_transfer_keeps_the_photo_low_band():
    rng = np.random.default_rng(0)
    photo_px, teacher_px = rng.random((32, 40, 3), dtype=np.float32), rng.random((32, 40, 3), dtype=np.float32)
    out = detail_transfer(photo_px, teacher_px, sigma=2.)
    assert out.shape == photo_px.shape and out.min() >= 0 and out.max() <= 1
    with pytest.raises(ValueError, match='differ in shape'): detail_transfer(photo_px, teacher_px[:-1])

def test_ncnn_reader_refuses_what_it_cannot_read(tmp_path):
    param = tmp_path/'m.param'
    param.write_text("7767517\n1 2\nConvolution conv0 1 1 in out 0=2 1=3 5=1 6=54\n")
    good = struct.pack('<I', NCNN_FP16) + np.zeros(54, np.float16).tobytes() + np.zeros(2, np.float32).tobytes()
    (tmp_path/'good.bin').write_bytes(good)
    [(kind, w, b)] = ncnn_tensors(param, tmp_path/'good.bin')
    assert kind == 'conv' and tuple(w.shape) == (2, 3, 3, 3) and tuple(b.shape) == (2,)
    (tmp_path/'tag.bin').write_bytes(struct.pack('<I', 7) + good[4:])
    with pytest.raises(ValueError, match='stored as 0x7'): ncnn_tensors(param, tmp_path/'tag.bin')
    (tmp_path/'short.bin').write_bytes(good[:-4])
    with pytest.raises(ValueError, match='not the weights'): ncnn_tensors(param, tmp_path/'short.bin')
    (tmp_path/'long.bin').write_bytes(good + b'\0' * 8)
    with pytest.raises(ValueError, match='8 bytes left over'): ncnn_tensors(param, tmp_path/'long.bin')

def test_published_teachers_by_name_only():
    assert teacher_file('x4') == 'x4'
    with pytest.raises(ValueError, match='realesrgan-x4plus'): realesrgan_model('realesrgan-x8')

def test_bench_model_measures_niqe_and_keeps_pictures(tmp_path):
    for i in range(2): photo(i=i).save(tmp_path/f'{i}.png')
    res = bench_model(tmp_path, 4, 'x4', 'cpu', progress=False, degrade='real_test', realism=True, keep=1)
    s = res.summary()
    assert s['n'] == 2 and np.isfinite([s['niqe'], s['bicubic_niqe']]).all() and s['niqe'] < s['bicubic_niqe']
    [(name, lr, sr, hr)] = res.kept
    assert (name, lr.size, sr.size, hr.size) == ('0', (64, 48), (256, 192), (256, 192))

def test_train_command_defaults_are_the_configs():
    "Each default is written once: the command line's are TrainConfig's, train_sr's run options' and each architecture's own"
    args = build_parser().parse_args(['train', 'HR', '--out', 'RUN'])
    config = TrainConfig()
    assert {n: getattr(args, n) for n in train_options()} == {n: getattr(config, n) for n in train_options()}
    run = {n: p.default for n, p in inspect.signature(train_sr).parameters.items()}
    assert {n: getattr(args, n) for n in run_options(train_sr)} == {n: run[n] for n in run_options(train_sr)}
    assert all(getattr(args, n) is None for n in args.arch_option_names)          # unset: the architecture's default applies
    assert set(args.arch_option_names) == {n for a in ARCHS.values() for n in a.train_options()}
    assert build_parser().parse_args(['train', 'HR', '--out', 'RUN', '--n-feats', '64', '--widths', '8', '4']).widths == [8, 4]

def test_every_command_default_is_the_library_signature():
    "The options the other commands share with a library function take its defaults, so none is written twice"
    from superres_course.colorize import Colorizer
    from superres_course.crappify import crappify_folder
    from superres_course.distill import teacher_targets
    from superres_course.inference import demo, upscale_files
    from superres_course.metrics import bicubic_scores, score_folders
    defaults = lambda fn: {n: p.default for n, p in inspect.signature(fn).parameters.items()}
    for argv, fn, names in [(['crappify', 'SRC', 'DST'], crappify_folder, ('preset', 'seed', 'n_workers')),
                            (['targets', 'HR', 'IN', 'OUT', '--teacher', 'T'], teacher_targets, ('detail_sigma', 'detail_gain', 'max_images')),
                            (['demo'], demo, ('seed', 'cell')),
                            (['upscale', 'IN', '-o', 'OUT'], upscale_files, ('fmt', 'quality')),
                            (['colorize', 'IN', '-o', 'OUT', '--model', 'M'], upscale_files, ('fmt', 'quality')),
                            (['colorize', 'IN', '-o', 'OUT', '--model', 'M'], Colorizer.__init__, ('render_size',)),
                            (['metrics', 'SR', 'HR'], score_folders, ('scale',)), (['bicubic', 'HR'], bicubic_scores, ('scale',))]:
        args = build_parser(library_options=argv[0]).parse_args(argv)
        assert {n: getattr(args, n) for n in names} == {n: defaults(fn)[n] for n in names}, argv

def test_an_unknown_architecture_option_is_refused():
    with pytest.raises(ValueError, match="'edsr' has no option 'encoder'"): train_sr('HR', 'RUN', arch='edsr', encoder='resnet18')
    assert TrainConfig().updated(arch='unet', encoder='resnet18').arch_options == dict(encoder='resnet18')

def test_bf16_training_runs_and_is_recorded(tmp_path):
    "`precision='bf16'` trains through `Autocast` (the network's convolutions in bfloat16), and run.json and the model file say so"
    import json, torch
    from superres_course.model_files import load_sr_model
    for i in range(4): photo(96, 96, i % 3).save(tmp_path/f'{i}.png')
    seen = []
    r = train_sr(tmp_path, tmp_path/'run', task='x2', arch='edsr', n_feats=8, n_blocks=1, epochs=1, size=32, bs=2, valid_pct=0.25,
                 cpu=True, num_workers=0, precision='bf16', show_progress=False)
    assert json.loads((tmp_path/'run'/'run.json').read_text())['precision'] == 'bf16'
    assert load_sr_model(r.model_path)[1].meta['precision'] == 'bf16'
    conv = next(m for m in r.learn.model.modules() if isinstance(m, torch.nn.Conv2d))
    conv.register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    r.learn.validate()
    assert seen and set(seen) == {torch.bfloat16} and next(r.learn.model.parameters()).dtype == torch.float32
    with pytest.raises(ValueError, match="unknown precision 'fp16'; known: auto, fp32, bf16"):      # refused before the folder is cleared
        train_sr(tmp_path, tmp_path/'run', task='x2', epochs=1, precision='fp16', cpu=True, overwrite=True)
    assert (tmp_path/'run'/'model.pth').exists()
