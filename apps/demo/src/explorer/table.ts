/** The layer table: output shape, params and MACs per layer, totals beside the model card's reference numbers. */
import type { ModelCard, Summary } from '@convzoo/core';
import { fmtInt, h } from '../ui/dom.js';

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

export function renderLayerTable(summary: Summary): HTMLElement {
  return h('table', { class: 'layers', 'data-testid': 'layer-table' },
    h('thead', {}, h('tr', {}, ...['#', 'Layer', 'Op', 'Output shape', 'Params', 'MACs', 'Inputs'].map((c) => h('th', {}, c)))),
    h('tbody', {}, ...summary.layers.map((l, i) => h('tr', { class: l.trainingOnly ? 'training-only' : '', title: l.trainingOnly ? 'training-only (auxiliary head)' : '' },
      h('td', {}, i + 1), h('td', {}, l.name), h('td', {}, l.op), h('td', {}, `[${['N', ...l.outputShape].join(', ')}]`),
      h('td', { class: 'num' }, fmtInt(l.params.trainable + l.params.nonTrainable)), h('td', { class: 'num' }, fmtInt(l.macs)), h('td', {}, l.inputs.join(', '))))));
}
