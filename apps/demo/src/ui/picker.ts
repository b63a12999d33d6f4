/** The model picker shared by the Explorer, Run and Export pages; the choice lives in the URL query. */
import { registry } from '@convzoo/core';
import {
  SEEDED, entries, familyTitle, families, readSelection, selectionProblems, trainedFor, writeSelection,
  type Selection, type SelectionProblem,
} from '../models/catalog.js';
import { h } from './dom.js';

function select(name: string, options: readonly string[], value: string, labels?: (o: string) => string): HTMLSelectElement {
  return h('select', { name, 'data-testid': `pick-${name}` }, ...options.map((o) => {
    const opt = h('option', { value: o }, labels ? labels(o) : o);
    opt.selected = o === value;
    return opt;
  }));
}

/**
 * Renders the picker into `host` and calls `onChange` with each new selection (and once now).
 * A value the picker cannot take (Input `64x64x3`, Classes `0`) is shown as an inline error
 * beside its field and passed to `onInvalid`; nothing is built from a default in its place.
 */
export function mountPicker(host: HTMLElement, onChange: (s: Selection) => void, onInvalid: (problems: readonly SelectionProblem[]) => void = () => {}): void {
  const render = (s: Selection, raw: URLSearchParams, problems: readonly SelectionProblem[]) => {
    const entry = registry.get(s.arch);
    const card = entry.card(s.variant);
    const trained = s.weights !== SEEDED;
    const bad = new Map(problems.map((p) => [p.field, p.message]));
    // The typed text stays in the field, so the error names what is there.
    const text = (field: SelectionProblem['field'], value: string | number | undefined) => (bad.has(field) ? raw.get(field) ?? '' : value ?? '');
    const invalid = (field: SelectionProblem['field']) => (bad.has(field) ? { 'aria-invalid': 'true', 'aria-describedby': `picker-error-${field}` } : {});
    const form = h('form', { class: 'picker', onsubmit: (e: Event) => e.preventDefault() },
      h('label', {}, 'Family ', select('family', families(), entry.family, familyTitle)),
      h('label', {}, 'Model ', select('arch', entries().filter((e) => e.family === entry.family).map((e) => e.name), s.arch)),
      h('label', {}, 'Variant ', Object.assign(select('variant', entry.variants, s.variant), { disabled: trained })),
      h('label', {}, 'Input H,W,C ', h('input', { name: 'input', size: 10, value: text('input', s.input?.join(',')), placeholder: card.inputShape.join(','), disabled: trained, ...invalid('input') })),
      h('label', {}, 'Classes ', h('input', { name: 'classes', type: 'number', min: 1, value: text('classes', s.classes), placeholder: card.numClasses, disabled: trained, ...invalid('classes') })),
      h('label', {}, 'Seed ', h('input', { name: 'seed', type: 'number', min: 0, value: text('seed', s.seed), disabled: trained, ...invalid('seed') })),
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
      apply(q, true);
    });
    host.replaceChildren(form,
      ...problems.map((p) => h('p', { class: 'status error', role: 'alert', id: `picker-error-${p.field}`, 'data-testid': `picker-error-${p.field}` }, p.message)),
      h('p', { class: 'card-line' }, card.description, ' ', h('a', { href: card.paper.url, target: '_blank', rel: 'noopener' }, `${card.paper.authors.split(',')[0]} et al. ${card.paper.year}`)));
  };
  const apply = (q: URLSearchParams, edited: boolean) => {
    const next = readSelection(q);
    const problems = selectionProblems(q);
    if (edited) {
      // The URL keeps what was typed, bad values included, so a shared link shows the same error.
      const url = writeSelection(next);
      for (const p of problems) url.set(p.field, q.get(p.field) ?? '');
      history.replaceState(null, '', `?${url}${location.hash}`);
    }
    render(next, q, problems);
    if (problems.length > 0) onInvalid(problems);
    else onChange(next);
  };
  apply(new URLSearchParams(location.search), false);
}
