/** A model's Preprocessing record in words, as the Classify page shows it. */
import type { Preprocessing } from '@convzoo/core';

const list = (v: readonly number[]) => v.map((x) => Number(x.toFixed(4))).join(', ');

export function describePreprocessing(p: Preprocessing): string {
  const steps = [p.channels === 'gray' ? 'greyscale' : p.channels.toUpperCase()];
  if (p.invertLight) steps.push('inverted when light (ink on paper)');
  steps.push(typeof p.resize === 'number' ? `shorter side resized to ${p.resize} (${p.interpolation})` : `resized to ${p.resize[0]}x${p.resize[1]} (${p.interpolation})`);
  if (p.crop) steps.push(`centre crop ${p.crop[0]}x${p.crop[1]}`);
  if (p.pad) steps.push(`${p.pad}-pixel zero border`);
  steps.push(`x ${p.scale === 1 ? '1' : `1/${Math.round(1 / p.scale)}`}, minus mean [${list(p.mean)}], over std [${list(p.std)}]`);
  return `${p.preset}: ${steps.join(', ')}`;
}
