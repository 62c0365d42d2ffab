/**
 * Typed errors. Validation happens in TS before any kernel runs, so most user mistakes surface
 * as `GroveArgumentError` naming the argument; kernel status codes map onto the same classes.
 */

/** Base class of every error Grove throws on purpose. */
export class GroveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument or option is missing, of the wrong type or out of range. */
export class GroveArgumentError extends GroveError {}

/** Input data is malformed (a file line, an id out of range, a ragged row…). */
export class GroveDataError extends GroveError {}

/** `init()` has not completed (browsers and edge runtimes must call it before any algorithm). */
export class GroveNotInitializedError extends GroveError {}

/** A fitted-state accessor or prediction was used before `fit`. */
export class GroveNotFittedError extends GroveError {}

/** The WebAssembly instance trapped or aborted; it has been discarded and will be re-created. */
export class GroveKernelError extends GroveError {}

/** Kernel status codes (assembly/common/status.ts). */
export const STATUS_OK = 0;
export const STATUS_BAD_ARGUMENT = -1;
export const STATUS_BAD_INPUT = -2;
export const STATUS_TOO_LARGE = -3;

/**
 * Throws for a non-zero kernel status. `argNames[i]` names the kernel's i-th parameter, so the
 * message says which value the kernel refused (`last_error_arg` / `last_error_value`).
 */
export function checkStatus(
  status: number,
  kernel: { last_error_arg(): number; last_error_value(): number },
  fn: string,
  argNames: readonly string[],
): void {
  if (status === STATUS_OK) return;
  const arg = argNames[kernel.last_error_arg()] ?? `argument ${kernel.last_error_arg()}`;
  const value = kernel.last_error_value();
  if (status === STATUS_BAD_ARGUMENT) throw new GroveArgumentError(`${fn}: ${arg} out of range (got ${value})`);
  if (status === STATUS_BAD_INPUT) throw new GroveDataError(`${fn}: invalid ${arg} (got ${value})`);
  if (status === STATUS_TOO_LARGE) {
    throw new GroveDataError(`${fn}: the input is too large for one WebAssembly heap block (${value} ${arg}); mine a sample or a partition`);
  }
  throw new GroveKernelError(`${fn}: kernel failed with status ${status}`);
}
