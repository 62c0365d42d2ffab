#!/usr/bin/env python3
"""One run of the scipy peer for bench.mjs: item-KNN cosine with scipy.sparse, the computation
EVAL-PROTOCOL.md describes and ours performs.

    python3 run_scipy.py TRIPLES K N [LISTS]

build  X = users x items CSR (float64) from the triples file (triples.mjs layout)
fit    G = X.T @ X; S = G scaled by 1/(|i| |j|) (cosine); diagonal dropped; per item row the K
       largest positive entries kept (partition) -> S_K, CSR
top-N  per batch of users: dense scores X_b @ S_K, seen items masked, the N largest positive
       scores (argpartition, then sorted)
Equal values are kept smaller index first, in S_K and in the lists, as ours does, so that the
lists can be compared; rows with a tie across the cut-off are redone in full (few).
Prints one JSON line {buildS, fitS, topS, nUsers, nItems, nnz, maxRssKiB}; with LISTS, writes
every user's list after timing (lists.mjs layout).
"""
import json
import resource
import sys
import time

import numpy as np
import scipy.sparse as sp

# dense score rows per batch: about 64 MiB of float64 whatever the catalogue size
BATCH_BYTES = 64 << 20


def read_triples(path):
    header = np.fromfile(path, dtype='<u4', count=4)
    magic, n, n_users, n_items = (int(x) for x in header)
    if magic != 0x31464347:
        sys.exit(f'{path} is not a bench:cf triples file')
    users = np.fromfile(path, dtype='<u4', count=n, offset=16)
    items = np.fromfile(path, dtype='<u4', count=n, offset=16 + 4 * n)
    scores = np.fromfile(path, dtype='<f4', count=n, offset=16 + 8 * n)
    return users, items, scores, n_users, n_items


def top_indices(vals, cols, k):
    """Positions of the k largest of vals; equal values -> smaller col first (as ours)."""
    kth = np.partition(vals, len(vals) - k)[len(vals) - k]
    above = np.flatnonzero(vals > kth)
    tied = np.flatnonzero(vals == kth)
    need = k - len(above)
    if len(tied) > need:
        tied = tied[np.argsort(cols[tied], kind='stable')[:need]]
    return np.concatenate([above, tied])


def cosine_top_k(X, k):
    G = (X.T @ X).tocsr()
    norms = np.sqrt(G.diagonal())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    rows = np.repeat(np.arange(G.shape[0]), np.diff(G.indptr))
    G.data *= inv[rows] * inv[G.indices]
    G.data[rows == G.indices] = 0
    keep_rows, keep_cols, keep_vals = [], [], []
    for r in range(G.shape[0]):
        a, b = G.indptr[r], G.indptr[r + 1]
        vals, cols = G.data[a:b], G.indices[a:b]
        if b - a > k:
            sel = top_indices(vals, cols, k)
            vals, cols = vals[sel], cols[sel]
        pos = vals > 0
        keep_rows.append(np.full(pos.sum(), r))
        keep_cols.append(cols[pos])
        keep_vals.append(vals[pos])
    shape = G.shape
    return sp.csr_matrix((np.concatenate(keep_vals), (np.concatenate(keep_rows), np.concatenate(keep_cols))), shape=shape)


def top_n_all(X, S_K, n):
    n_users, n_items = X.shape
    out_items = np.full((n_users, n), -1, dtype=np.int32)
    out_scores = np.zeros((n_users, n), dtype=np.float32)
    batch = max(1, BATCH_BYTES // (8 * n_items))
    m = min(n, n_items)
    for start in range(0, n_users, batch):
        Xb = X[start:start + batch]
        scores = (Xb @ S_K).toarray()
        seen_rows = np.repeat(np.arange(Xb.shape[0]), np.diff(Xb.indptr))
        scores[seen_rows, Xb.indices] = 0
        part = np.argpartition(-scores, m - 1, axis=1)[:, :m]
        vals = np.take_along_axis(scores, part, axis=1)
        # rows whose m-th best positive score ties with a score left out: redo them in full
        kth = vals.min(axis=1)
        for r in np.flatnonzero((kth > 0) & ((scores >= kth[:, None]).sum(axis=1) > m)):
            part[r] = np.lexsort((np.arange(n_items), -scores[r]))[:m]
            vals[r] = scores[r, part[r]]
        order = np.lexsort((part, -vals), axis=1)
        part = np.take_along_axis(part, order, axis=1)
        vals = np.take_along_axis(vals, order, axis=1)
        positive = vals > 0
        out_items[start:start + Xb.shape[0], :m] = np.where(positive, part, -1)
        out_scores[start:start + Xb.shape[0], :m] = np.where(positive, vals, 0)
    return out_items, out_scores


def main():
    if len(sys.argv) < 4:
        sys.exit('usage: python3 run_scipy.py TRIPLES K N [LISTS]')
    path, k, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    users, items, scores, n_users, n_items = read_triples(path)

    t = time.perf_counter()
    X = sp.csr_matrix((scores.astype(np.float64), (users, items)), shape=(n_users, n_items))
    build_s = time.perf_counter() - t

    t = time.perf_counter()
    S_K = cosine_top_k(X, k)
    fit_s = time.perf_counter() - t

    t = time.perf_counter()
    top_items, top_scores = top_n_all(X, S_K, n)
    top_s = time.perf_counter() - t

    if len(sys.argv) > 4:
        with open(sys.argv[4], 'wb') as f:
            f.write(np.array([n_users, n], dtype='<u4').tobytes())
            f.write(top_items.astype('<i4').tobytes())
            f.write(top_scores.astype('<f4').tobytes())
    print(json.dumps({
        'buildS': build_s, 'fitS': fit_s, 'topS': top_s, 'nUsers': n_users, 'nItems': n_items, 'nnz': int(X.nnz),
        'maxRssKiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': __import__('scipy').__version__},
    }))


if __name__ == '__main__':
    main()
