/** The layer table: output shape, params and MACs per layer, totals beside the model card's reference numbers. */
import type { ModelCard, Summary } from '@convzoo/core';
import { drawInFrames, fmtInt, h } from '../ui/dom.js';

/** The reference counts hold at the card's input and class count; say so when the choice differs. */
function referenceNote(card: ModelCard, summary: Summary, classes: number): string {
  const atDefault = summary.inputShape.join() === card.inputShape.join() && classes === card.numClasses;
  if (!atDefault) return `reference numbers are for ${card.inputShape.join('x')} input and ${card.numClasses} classes`;
  const same = summary.params.trainable === card.params.trainable && summary.params.nonTrainable === card.params.nonTrainable && summary.macs === card.macs;
  return same ? 'matches the model card' : 'DIFFERS from the model card';
}

export function renderTotals(summary: Summary, card: ModelCard, classes: number): HTMLElement {
  const row = (label: string, params: { trainable: number; nonTrainable: number }, macs: number, testid: string) =>
    h('tr', { 'data-testid': testid }, h('th', {}, label),
      h('td', {}, fmtInt(params.trainable + params.nonTrainable)), h('td', {}, fmtInt(params.trainable)), h('td', {}, fmtInt(params.nonTrainable)), h('td', {}, fmtInt(macs)));
  return h('div', { class: 'totals' },
    h('table', {},
      h('thead', {}, h('tr', {}, h('th'), h('th', {}, 'Params'), h('th', {}, 'Trainable'), h('th', {}, 'Non-trainable'), h('th', {}, 'MACs'))),
      h('tbody', {},
        row('This model', summary.params, summary.macs, 'totals-model'),
        row(`Model card (${card.name}, ${card.variant})`, card.params, card.macs, 'totals-card'))),
    h('p', { class: 'note', 'data-testid': 'reference-note' }, referenceNote(card, summary, classes)));
}

/** Rows added per frame: ResNet-152's 515 rows in one go are a 180-230 ms style and layout task. */
const ROW_CHUNK = 64;

/** The table, its rows added a chunk a frame once it is in the document; `drawn` settles with the last. */
export function renderLayerTable(summary: Summary): { element: HTMLElement; drawn: Promise<void> } {
  const body = h('tbody');
  const row = (l: Summary['layers'][number], i: number) => h('tr', { class: l.trainingOnly ? 'training-only' : '', title: l.trainingOnly ? 'training-only (auxiliary head)' : '' },
    h('td', {}, i + 1), h('td', {}, l.name), h('td', {}, l.op), h('td', {}, `[${['N', ...l.outputShape].join(', ')}]`),
    h('td', { class: 'num' }, fmtInt(l.params.trainable + l.params.nonTrainable)), h('td', { class: 'num' }, fmtInt(l.macs)), h('td', {}, l.inputs.join(', ')));
  const element = h('table', { class: 'layers', 'data-testid': 'layer-table' },
    h('thead', {}, h('tr', {}, ...['#', 'Layer', 'Op', 'Output shape', 'Params', 'MACs', 'Inputs'].map((c) => h('th', {}, c)))), body);
  const drawn = drawInFrames(summary.layers.length, ROW_CHUNK, (from, to) => body.append(...summary.layers.slice(from, to).map((l, j) => row(l, from + j))));
  return { element, drawn };
}
