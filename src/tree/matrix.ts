/**
 * Feature matrices as the tree kernels read them: float32, row-major, NaN = missing.
 *
 * Accepted: an array of rows (arrays or typed arrays, all the same length), or
 * `{ data, rows, cols }` with `data` a row-major Float32Array / Float64Array / number[]. Values
 * are converted to float32 (as XGBoost does); `null`/`undefined` and NaN are missing; ±Infinity
 * is an error (say NaN for missing), as is a value beyond float32's range. A Float32Array `data`
 * is used as it is, not copied (it is never modified).
 */
import { GroveArgumentError, GroveDataError } from '../runtime/errors.js';

export interface DenseMatrix {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

export type MatrixLike = ReadonlyArray<ArrayLike<number | null | undefined>> | DenseMatrix;

export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export function toMatrix(X: MatrixLike, fn: string, name = 'X'): Matrix {
  if (Array.isArray(X)) {
    const rows = X.length;
    const cols = rows > 0 ? rowLength(X[0], 0, fn, name) : 0;
    const data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = X[r];
      if (rowLength(row, r, fn, name) !== cols) throw new GroveDataError(`${fn}: ${name} row ${r} has ${row.length} values, row 0 has ${cols} (rows must all be the same length)`);
      for (let c = 0; c < cols; c++) data[r * cols + c] = cell(row[c], r, c, fn, name);
    }
    return { data, rows, cols };
  }
  if (X == null || typeof X !== 'object' || !('data' in X)) throw new GroveArgumentError(`${fn}: ${name} must be an array of rows or { data, rows, cols }`);
  const { data: src, rows, cols } = X as DenseMatrix;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) throw new GroveArgumentError(`${fn}: ${name}.rows and ${name}.cols must be integers ≥ 0. Got ${rows} × ${cols}`);
  if (src == null || typeof src.length !== 'number' || src.length !== rows * cols) throw new GroveDataError(`${fn}: ${name}.data has ${src?.length} values, expected rows × cols = ${rows * cols}`);
  // typed input converts in one native call; then only ±Infinity needs a look
  const data = src instanceof Float32Array ? src : ArrayBuffer.isView(src) ? Float32Array.from(src as Float64Array) : undefined;
  if (data) {
    // native searches, not a loop here: V8 would compile one for each fit (in the background,
    // but on the process's CPU time)
    const [up, down] = [data.indexOf(Infinity), data.indexOf(-Infinity)];
    const i = up < 0 ? down : down < 0 ? up : Math.min(up, down);
    if (i >= 0) cell(data[i], Math.floor(i / cols), i % cols, fn, name);
    return { data, rows, cols };
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = cell(src[i], Math.floor(i / cols), i % cols, fn, name);
  return { data: out, rows, cols };
}

function rowLength(row: unknown, r: number, fn: string, name: string): number {
  if (row == null || typeof (row as ArrayLike<number>).length !== 'number' || typeof row === 'string') throw new GroveDataError(`${fn}: ${name} row ${r} is not an array`);
  return (row as ArrayLike<number>).length;
}

function cell(v: number | null | undefined, r: number, c: number, fn: string, name: string): number {
  if (v == null) return NaN;
  if (typeof v !== 'number') throw new GroveDataError(`${fn}: ${name}[${r}][${c}] is ${JSON.stringify(v)}, not a number`);
  const x = Math.fround(v);
  if (x === Infinity || x === -Infinity) throw new GroveDataError(`${fn}: ${name}[${r}][${c}] is ${v}; values must be finite within float32's range (NaN means missing)`);
  return x;
}
