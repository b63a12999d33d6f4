/** The model picker shared by the Explorer, Run and Export pages; the choice lives in the URL query. */
import { registry } from '@convzoo/core';
import { SEEDED, entries, families, readSelection, trainedFor, writeSelection, type Selection } from '../models/catalog.js';
import { h } from './dom.js';

function select(name: string, options: readonly string[], value: string, labels?: (o: string) => string): HTMLSelectElement {
  return h('select', { name, 'data-testid': `pick-${name}` }, ...options.map((o) => {
    const opt = h('option', { value: o }, labels ? labels(o) : o);
    opt.selected = o === value;
    return opt;
  }));
}

/** Renders the picker into `host` and calls `onChange` with each new selection (and once now). */
export function mountPicker(host: HTMLElement, onChange: (s: Selection) => void): void {
  const render = (s: Selection) => {
    const entry = registry.get(s.arch);
    const card = entry.card(s.variant);
    const trained = s.weights !== SEEDED;
    const form = h('form', { class: 'picker', onsubmit: (e: Event) => e.preventDefault() },
      h('label', {}, 'Family ', select('family', families(), entry.family)),
      h('label', {}, 'Model ', select('arch', entries().filter((e) => e.family === entry.family).map((e) => e.name), s.arch)),
      h('label', {}, 'Variant ', Object.assign(select('variant', entry.variants, s.variant), { disabled: trained })),
      h('label', {}, 'Input H,W,C ', h('input', { name: 'input', size: 10, value: s.input?.join(',') ?? '', placeholder: card.inputShape.join(','), disabled: trained })),
      h('label', {}, 'Classes ', h('input', { name: 'classes', type: 'number', min: 1, value: s.classes ?? '', placeholder: card.numClasses, disabled: trained })),
      h('label', {}, 'Seed ', h('input', { name: 'seed', type: 'number', min: 0, value: s.seed, disabled: trained })),
      h('label', {}, 'Weights ', select('weights', [SEEDED, ...trainedFor(s.arch)], s.weights, (o) => (o === SEEDED ? 'seeded' : `trained: ${o}`))),
    );
    form.addEventListener('change', (e) => {
      const data = new FormData(form);
      const q = new URLSearchParams();
      const changed = (e.target as HTMLElement).getAttribute('name');
      // A new family starts from its first model; a new model from its default variant and options.
      const arch = changed === 'family' ? entries().find((x) => x.family === data.get('family'))!.name : String(data.get('arch'));
      q.set('arch', arch);
      if (changed !== 'family' && changed !== 'arch') {
        for (const k of ['variant', 'input', 'classes', 'seed', 'weights']) q.set(k, String(data.get(k) ?? ''));
      }
      const next = readSelection(q);
      history.replaceState(null, '', `?${writeSelection(next)}${location.hash}`);
      render(next);
      onChange(next);
    });
    host.replaceChildren(form, h('p', { class: 'card-line' }, card.description, ' ', h('a', { href: card.paper.url, target: '_blank', rel: 'noopener' }, `${card.paper.authors.split(',')[0]} et al. ${card.paper.year}`)));
  };
  const initial = readSelection(new URLSearchParams(location.search));
  render(initial);
  onChange(initial);
}
