/** Reduced-precision export: fp16 weights, int8 QDQ (see fp16.ts and int8.ts for the formats). */
import { ConvzooError } from '@convzoo/core';
import { checkPrecision, recordPrecision, type Built, type Precision } from './built.js';
import { toFp16 } from './fp16.js';
import { toInt8, type ActivationRanges } from './int8.js';

export { calibrationGraph, type ActivationRanges } from './int8.js';
export { PRECISIONS, checkPrecision, type Precision } from './built.js';
export { halfBits, halfValue } from './half.js';

/** What int8 files record about their quantization (metadata `convzoo.quantization`). */
export const INT8_SCHEME = 'QDQ; weights int8 symmetric per output channel, 7-bit range (+-63); biases int32; activations uint8 asymmetric per tensor, min-max calibrated';

export function applyPrecision(b: Built, precision: Precision | undefined, ranges: ActivationRanges | undefined): Built {
  const p = checkPrecision(precision ?? 'fp32');
  if (ranges !== undefined && p !== 'int8') throw new ConvzooError('ARGUMENT_INVALID', `activationRanges are for precision 'int8' only, got precision '${p}'`);
  if (p === 'fp32') return b;
  if (p === 'fp16') {
    const out = toFp16(b);
    recordPrecision(out, 'fp16');
    return out;
  }
  if (ranges === undefined) {
    throw new ConvzooError('ARGUMENT_INVALID', "precision 'int8' needs activationRanges: calibrate on sample inputs first (calibrationOnnx, or @convzoo/backend-ort's calibrate)");
  }
  const out = toInt8(b, ranges);
  recordPrecision(out, 'int8', { 'convzoo.quantization': INT8_SCHEME });
  return out;
}
