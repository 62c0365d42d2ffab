#!/usr/bin/env python3
"""One run of XGBoost (the Python package, 1.7) for bench.mjs, on one thread (or PARAMS_JSON's nThreads):

    OMP_NUM_THREADS=1 python3 run_xgboost.py CASE METHOD TRAIN_ROWS PREDICT_ROWS PARAMS_JSON PREDS_OUT

train    DMatrix(X, y, missing=NaN) on the first TRAIN_ROWS training rows (case-file.mjs layout),
         then xgb.train(params, dtrain, rounds); the DMatrix share is reported apart (dmatrixS)
predict  booster.inplace_predict on PREDICT_ROWS rows cycling through the test set (float32,
         C order, NaN = missing): probabilities, or values for regression; twice, the second
         call being predictS
Writes the test rows' predictions (float32: P(class 1), n x k probabilities, or values) to
PREDS_OUT and prints one JSON line {trainS, trainCpuS, dmatrixS, predictFirstS, predictFirstCpuS,
predictS, predictCpuS, maxRssKiB, xgboost}.
"""
import json
import resource
import sys
import time

import numpy as np
import xgboost as xgb

MAGIC = 0x31434247
HEADER = 32
TASKS = ['regression', 'binary', 'multiclass']


def read_case(path, train_rows):
    magic, task, num_class, cols, n_train, n_test = (int(v) for v in np.fromfile(path, dtype='<u4', count=6))
    if magic != MAGIC:
        sys.exit(f'{path} is not a bench:boost case file')
    def f32(offset, n):
        return np.fromfile(path, dtype='<f4', count=n, offset=HEADER + 4 * offset)
    n = min(n_train, train_rows)
    test_at = n_train * (cols + 1)
    return {
        'task': TASKS[task], 'num_class': num_class, 'cols': cols,
        'x_train': f32(0, n * cols).reshape(n, cols), 'y_train': f32(n_train * cols, n),
        'x_test': f32(test_at, n_test * cols).reshape(n_test, cols), 'y_test': f32(test_at + n_test * cols, n_test),
    }


def clock():
    return time.perf_counter(), time.process_time()


def since(t):
    return time.perf_counter() - t[0], time.process_time() - t[1]


def main():
    if len(sys.argv) != 7:
        sys.exit('usage: run_xgboost.py CASE METHOD TRAIN_ROWS PREDICT_ROWS PARAMS_JSON PREDS_OUT')
    path, method, train_rows, predict_rows, params_json, preds_out = sys.argv[1:]
    p = json.loads(params_json)
    c = read_case(path, int(train_rows))
    objective = {'regression': 'reg:squarederror', 'binary': 'binary:logistic', 'multiclass': 'multi:softprob'}[c['task']]
    params = {
        'objective': objective, 'tree_method': method, 'max_depth': p['maxDepth'], 'eta': p['eta'],
        'lambda': p['lambda'], 'max_bin': p['maxBin'], 'base_score': p['baseScore'], 'subsample': p['subsample'],
        'min_child_weight': p['minChildWeight'], 'nthread': p.get('nThreads', 1), 'seed': 0,
    }
    if c['task'] == 'multiclass':
        params['num_class'] = c['num_class']

    t = clock()
    dtrain = xgb.DMatrix(c['x_train'], label=c['y_train'], missing=np.nan, nthread=params['nthread'])
    dmatrix_s, _ = since(t)
    booster = xgb.train(params, dtrain, num_boost_round=p['rounds'])
    train_s, train_cpu_s = since(t)

    n_predict = int(predict_rows)
    reps = -(-n_predict // len(c['x_test']))
    x_predict = np.ascontiguousarray(np.tile(c['x_test'], (reps, 1))[:n_predict])
    # twice, like run-grove.mjs: the first call, then the steady one
    t = clock()
    out = booster.inplace_predict(x_predict, missing=np.nan)
    predict_first_s, predict_first_cpu_s = since(t)
    t = clock()
    booster.inplace_predict(x_predict, missing=np.nan)
    predict_s, predict_cpu_s = since(t)

    n_test = len(c['y_test'])
    np.ascontiguousarray(out[:n_test], dtype='<f4').tofile(preds_out)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({'trainS': train_s, 'trainCpuS': train_cpu_s, 'dmatrixS': dmatrix_s, 'predictFirstS': predict_first_s,
                      'predictFirstCpuS': predict_first_cpu_s, 'predictS': predict_s, 'predictCpuS': predict_cpu_s,
                      'maxRssKiB': max_rss, 'xgboost': xgb.__version__}))


if __name__ == '__main__':
    main()
