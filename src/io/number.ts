/** Decimal numbers read straight from bytes, shared by the text readers (any runtime). */

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * A finite decimal number in `bytes[start, end)`, NaN otherwise. `[-]digits[.digits]` with at
 * most 15 digits is read from the bytes (an exact integer over an exact power of ten, one
 * correctly rounded division, as `Number` gives); other forms go through `Number`.
 */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = i < end && bytes[i] === 45;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (; i < end; i++) {
    const c = bytes[i];
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0) point = digits;
    else break;
  }
  if (i === end && digits > 0 && digits <= 15) {
    const value = point < 0 || point === digits ? mantissa : mantissa / POW10[digits - point];
    return negative ? -value : value;
  }
  let text = '';
  for (let k = start; k < end; k++) text += String.fromCharCode(bytes[k]);
  text = text.trim();
  // Number() also reads "", hex, octal and binary literals; none of those is a decimal number
  const slow = text === '' || /^[+-]?0[xob]/i.test(text) ? NaN : Number(text);
  return Number.isFinite(slow) ? slow : NaN;
}
