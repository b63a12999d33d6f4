/** The pictures train and eval write: the confusion matrix heat map. */
import { describe, expect, it } from 'vitest';
import { confusionSvg } from '../chart.js';

/** [true, predicted, count] of every cell, read back from the SVG's cell titles. */
function cells(svg: string): [string, string, number][] {
  return [...svg.matchAll(/<title>(.*?) as (.*?): (\d+)<\/title>/g)].map((m) => [m[1]!, m[2]!, Number(m[3])]);
}

describe('confusionSvg', () => {
  const classes = ['cat', 'dog', 'a<b&c'];
  const confusion = [[8, 2, 0], [1, 9, 0], [0, 0, 0]];
  const svg = confusionSvg('model on val', classes, confusion);

  it('draws one cell per (true, predicted) pair, row by row, with its count', () => {
    expect(cells(svg)).toEqual([
      ['cat', 'cat', 8], ['cat', 'dog', 2], ['cat', 'a&lt;b&amp;c', 0],
      ['dog', 'cat', 1], ['dog', 'dog', 9], ['dog', 'a&lt;b&amp;c', 0],
      ['a&lt;b&amp;c', 'cat', 0], ['a&lt;b&amp;c', 'dog', 0], ['a&lt;b&amp;c', 'a&lt;b&amp;c', 0],
    ]);
    // Counts are printed only in non-empty cells.
    expect([...svg.matchAll(/>(\d+)<\/text>/g)].map((m) => Number(m[1]))).toEqual([8, 2, 1, 9]);
  });

  it('shades each cell by its share of the row: 80% and 90% dark, an empty row white', () => {
    const fills = [...svg.matchAll(/<rect x="\d+" y="\d+" width="\d+" height="\d+" fill="rgb\((\d+),/g)].map((m) => Number(m[1]));
    // 255 * (1 - 0.8 * share): 8/10 -> 92, 2/10 -> 214, 1/10 -> 235, 9/10 -> 71.
    expect(fills).toEqual([92, 214, 255, 235, 71, 255, 255, 255, 255]);
  });

  it('escapes class names and the title as XML', () => {
    expect(svg).not.toContain('a<b');
    expect(confusionSvg('x & y', ['a'], [[1]])).toContain('>x &amp; y</text>');
  });
});
