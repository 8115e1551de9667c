"""Does the pretrained encoder learn too slowly? Lesson 7's U-Net trained with its encoder at lr/RATIO instead of lr/100.

usage: python bench/experiments/lesson7_encoder_lr.py HR_DIR OUT RATIO [EPOCHS] [LR]

`train_sr` gives the unfrozen encoder `slice(lr / 100, lr)` (course v3's discriminative rates). This runs the same
`superres train --task lesson7 --arch unet --loss l1 --size 128 --bs 8 --repeats 2 --precision bf16` with the encoder's
rate divided by RATIO instead (100: the library's own), then score OUT/model.pth with
`superres bench TEST_DIR --model OUT/model.pth --degrade lesson7 --cpu --json`.
"""
import sys
import superres_course.superres as S
hr, out, ratio = sys.argv[1], sys.argv[2], float(sys.argv[3])
epochs, lr = (int(sys.argv[4]) if len(sys.argv) > 4 else 12), (float(sys.argv[5]) if len(sys.argv) > 5 else 1e-3)
S._encoder_lrs = lambda lr_, stage: lr_ if stage == 0 else slice(lr_ / ratio, lr_)
S.train_sr(hr, out, S.TrainConfig(task='lesson7', arch='unet', loss='l1', size=128, bs=8, epochs=epochs, repeats=2, lr=lr,
                                  precision='bf16'), cpu=True, num_workers=0, overwrite=True, show_progress=False)
