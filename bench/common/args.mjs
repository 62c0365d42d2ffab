/**
 * Command-line checks the benches share: a bad option prints `bench:NAME: problem`, the usage,
 * and exits with 2.
 */
export function argChecks(bench, usage) {
  const fail = (message) => {
    console.error(`bench:${bench}: ${message}\n\n${usage}`);
    process.exit(2);
  };
  const positiveInt = (text, name) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive integer, got "${text}"`);
    return n;
  };
  const nonNegativeInt = (text, name) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) fail(`${name} must be an integer in [0, 2^32), got "${text}"`);
    return n;
  };
  return { fail, positiveInt, nonNegativeInt };
}
