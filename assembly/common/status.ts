// Status codes every kernel returns (0 = ok). The TS side maps them to typed errors
// (src/runtime/errors.ts); details of the last failure are read through the exports below.

export const STATUS_OK: i32 = 0;
/** An argument is out of its documented range; `last_error_value` holds it. */
export const STATUS_BAD_ARGUMENT: i32 = -1;
/** Input data violates the kernel's contract (e.g. an item id ≥ the declared count). */
export const STATUS_BAD_INPUT: i32 = -2;
/** A structure the input needs would exceed one heap block; `last_error_value` holds its size. */
export const STATUS_TOO_LARGE: i32 = -3;

/** One heap block must stay below this (AssemblyScript's TLSF allocator limit). */
export const MAX_BLOCK: u64 = 1 << 30;

let lastErrorArg: i32 = 0;
let lastErrorValue: f64 = 0;

/** Records which argument (kernel-specific index) failed and with what value; returns `status`. */
export function fail(status: i32, arg: i32, value: f64): i32 {
  lastErrorArg = arg;
  lastErrorValue = value;
  return status;
}

export function last_error_arg(): i32 {
  return lastErrorArg;
}

export function last_error_value(): f64 {
  return lastErrorValue;
}
