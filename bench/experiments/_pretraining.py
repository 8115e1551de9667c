"""What the NoGAN experiments share: a run folder holding only another run's pretraining, and a `NoGAN` on it that
can copy that run's cycle-1 predictions instead of making them again."""

def copy_pretraining(run, dst, **changes):
    "A NoGAN run folder `dst` holding only `run`'s pretraining (settings with `changes`, cycle 0, the crappy inputs); its settings"
    import csv, json, shutil
    from pathlib import Path
    run, dst = Path(run), Path(dst)
    shutil.rmtree(dst, ignore_errors=True); dst.mkdir(parents=True)
    settings = {**json.loads((run/'nogan.json').read_text()), **changes}
    (dst/'nogan.json').write_text(json.dumps(settings, indent=1))
    with open(run/'cycles.csv') as f: table = list(csv.DictReader(f))
    with open(dst/'cycles.csv', 'w', newline='') as f:
        wr = csv.DictWriter(f, fieldnames=list(table[0])); wr.writeheader(); wr.writerow(table[0])
    for d in ('crappy', 'cycle_0'): shutil.copytree(run/d, dst/d)
    return settings

def nogan_from_pretraining(hr, dst, predictions=None, base=None, **kwargs):
    """`NoGAN` (or its subclass `base`) on the images `hr` in `dst`, a copy of a run's pretraining (see `copy_pretraining`; `kwargs`
    go to `NoGAN`). Given the `predictions` folder of another such run, its step 2 copies those files instead of running the same
    generator again."""
    import shutil
    from superres_course.nogan import NoGAN
    class SharedPredictions(base or NoGAN):
        def save_predictions(self, k, gen_learn):
            if predictions is None or k != 1: return super().save_predictions(k, gen_learn)
            return shutil.copytree(predictions, self.run_dir/'generated', dirs_exist_ok=True)   # cycle 0's generator: the same files
    return SharedPredictions(hr, dst, resume=True, **kwargs)
