/** Explorer: pick a model, see its layer table, totals against the model card, and its graph. */
import { registry } from '@convzoo/core';
import { SEEDED, describe, loadModel, type Selection } from '../models/catalog.js';
import { h, latestOnly, nextFrame, progressBar, setProgress, setStatus, statusLine } from '../ui/dom.js';
import { mountPicker } from '../ui/picker.js';
import { elk } from './elk.js';
import { renderGraph } from './graph-view.js';
import { layoutModel } from './layout.js';
import { renderLayerTable, renderTotals } from './table.js';

export function explorerPage(root: HTMLElement): void {
  const status = statusLine('explorer-status');
  // Building and laying out ResNet-152 takes seconds: a bar beside the status line until it is drawn.
  const progress = progressBar('explorer-progress');
  // Wide tables scroll inside their own box on narrow screens (focusable, so keys scroll them too).
  const totals = h('div', { class: 'scroll-x', tabindex: 0, role: 'region', 'aria-label': 'Totals' });
  const graph = h('div');
  const table = h('div', { class: 'scroll-x', tabindex: 0, role: 'region', 'aria-label': 'Layer table' });
  const picker = h('div');
  root.replaceChildren(h('h2', {}, 'Explorer'), picker, status, progress, totals, h('h3', {}, 'Graph'), graph, h('h3', {}, 'Layers'), table);

  // undefined: the picker holds a bad value; a build still running must not show its result.
  const show = latestOnly(async (s: Selection | undefined, stale) => {
    if (s === undefined) {
      for (const el of [totals, graph, table]) el.replaceChildren();
      setProgress(progress, null);
      return setStatus(status, 'error', 'nothing built: fix the option marked above');
    }
    setStatus(status, 'info', `building ${describe(s)}…`);
    setProgress(progress, {});
    await nextFrame();
    try {
      const model = await loadModel(s);
      if (stale()) return;
      const summary = model.summary();
      const card = registry.get(s.arch).card(s.weights === SEEDED ? s.variant : undefined);
      const classes = model.outputShapes[0]?.at(-1) ?? 0;
      totals.replaceChildren(renderTotals(summary, card, classes));
      // The table (515 rows for ResNet-152) is styled and laid out in its own frame, not with the build.
      await nextFrame();
      if (stale()) return;
      const rows = renderLayerTable(summary);
      table.replaceChildren(rows.element);
      await rows.drawn;
      if (stale()) return;
      graph.replaceChildren(h('p', { class: 'hint' }, 'laying out the graph…'));
      await nextFrame();
      if (stale()) return;
      const layout = await layoutModel(elk, model);
      if (stale()) return;
      const view = renderGraph(layout, { label: `${s.arch} layer graph` });
      graph.replaceChildren(view.element);
      await view.drawn;
      if (stale()) return;
      setProgress(progress, null);
      setStatus(status, 'ok', `${describe(s)}: ${summary.layers.length} layers`);
    } catch (e) {
      if (stale()) return;
      for (const el of [totals, graph, table]) el.replaceChildren();
      setProgress(progress, null);
      setStatus(status, 'error', (e as Error).message);
    }
  });
  mountPicker(picker, show, () => show(undefined));
}
