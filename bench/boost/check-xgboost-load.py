#!/usr/bin/python3
"""Manual check that XGBoost 1.7 loads the models our writer produces and predicts identically.

Run from the repository root (needs python3-xgboost, numpy, node and the dev dependencies):

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/boost/check-xgboost-load.py

For each fixture in ../shared/data/xgboost-models, src/interop/xgboost-json.ts (bundled with
esbuild) reads NAME.json and writes it back; xgboost loads that file and predicts on the
fixture's X. Margins, probabilities and leaf ids are compared with the fixture's. Two models
trained here with gamma > 0 (the exact method's pruner leaves deleted nodes in the trees) go
through the same loop. Prints the max abs differences; exits 1 unless all are 0.
Not part of the test suite: the project's tests never need Python.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import xgboost as xgb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, '..', 'shared', 'data', 'xgboost-models')
WORK = tempfile.mkdtemp(prefix='grove-xgb-load-')

# Reads each input with readXGBoostJSON and writes writeXGBoostJSON's output beside it.
CONVERT = """
import { readFileSync, writeFileSync } from 'node:fs';
import { readXGBoostJSON, writeXGBoostJSON } from '%s';
for (const [from, to] of JSON.parse(process.argv[1])) {
  writeFileSync(to, writeXGBoostJSON(readXGBoostJSON(readFileSync(from, 'utf8'))));
}
"""


def bundle():
    out = os.path.join(WORK, 'xgboost-json.mjs')
    subprocess.run(['npx', 'esbuild', 'src/interop/xgboost-json.ts', '--bundle', '--platform=node',
                    '--format=esm', '--log-level=warning', f'--outfile={out}'], cwd=ROOT, check=True)
    return out


def convert(module, pairs):
    subprocess.run(['node', '--input-type=module', '-e', CONVERT % module, json.dumps(pairs)], check=True)


def predictions(booster, X):
    d = xgb.DMatrix(X, missing=np.nan)
    # Feature names are checked by the margins themselves; skip xgboost's name validation.
    return (booster.predict(d, output_margin=True, validate_features=False),
            booster.predict(d, validate_features=False),
            booster.predict(d, pred_leaf=True, validate_features=False))


def trained_with_deleted_nodes():
    """Two small models whose trees keep pruned (deleted) nodes, with their own predictions."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(400, 6)).astype(np.float32)
    X[rng.random(X.shape) < 0.05] = np.nan
    out = []
    for objective, y in [('reg:squarederror', np.nan_to_num(X[:, 0]) + 0.3 * rng.normal(size=400)),
                         ('binary:logistic', (np.nan_to_num(X[:, 1]) + 0.5 * rng.normal(size=400) > 0).astype(float))]:
        params = {'objective': objective, 'tree_method': 'exact', 'max_depth': 6, 'gamma': 2.0,
                  'eta': 0.3, 'nthread': 1, 'seed': 0}
        booster = xgb.train(params, xgb.DMatrix(X, y, missing=np.nan), 12)
        path = os.path.join(WORK, f'deleted_{objective.replace(":", "_")}.json')
        booster.save_model(path)
        trees = json.load(open(path))['learner']['gradient_booster']['model']['trees']
        deleted = sum(int(t['tree_param']['num_deleted']) for t in trees)
        margin, prob, leaf = predictions(booster, X)
        out.append((os.path.basename(path)[:-5], path, X, margin, prob, leaf, deleted))
    return out


def main():
    print(f'xgboost {xgb.__version__}, numpy {np.__version__}, work dir {WORK}')
    cases = []
    manifest = json.load(open(os.path.join(FIXTURES, 'MANIFEST.json')))
    for name in manifest['fixtures']:
        data = json.load(open(os.path.join(FIXTURES, f'{name}.data.json')))
        X = np.array([[np.nan if v is None else v for v in row] for row in data['X']], dtype=np.float64)
        cases.append((name, os.path.join(FIXTURES, f'{name}.json'), X,
                      np.array(data['margin'], dtype=np.float32), np.array(data['prob'], dtype=np.float32),
                      np.array(data['leaf']), None))
    cases += trained_with_deleted_nodes()

    module = bundle()
    convert(module, [[src, os.path.join(WORK, f'{name}.ours.json')] for name, src, *_ in cases])

    worst = 0.0
    for name, _, X, margin, prob, leaf, deleted in cases:
        booster = xgb.Booster(model_file=os.path.join(WORK, f'{name}.ours.json'))
        m, p, l = predictions(booster, X)
        dm = float(np.max(np.abs(m.astype(np.float64) - margin)))
        dp = float(np.max(np.abs(p.astype(np.float64) - prob)))
        leaves_equal = bool(np.array_equal(l.astype(np.int64), leaf.astype(np.int64)))
        note = '' if deleted is None else f'  ({deleted} deleted nodes)'
        print(f'{name:40s} margin max|diff| {dm:.3g}  prob max|diff| {dp:.3g}  leaf ids equal {leaves_equal}{note}')
        worst = max(worst, dm, dp, 0.0 if leaves_equal else float('inf'))
    print('all identical' if worst == 0 else f'DIFFERENCES: worst {worst}')
    sys.exit(0 if worst == 0 else 1)


if __name__ == '__main__':
    main()
