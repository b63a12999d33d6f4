/** A drop zone around a labelled file input: drop files on it, or pick them (by mouse or keyboard). */
import { h } from './dom.js';

export interface DropOptions {
  /** The input's label ("Image files"). */
  readonly label: string;
  readonly accept: string;
  readonly multiple?: boolean;
  readonly testId: string;
  readonly onFiles: (files: File[]) => void;
}

let count = 0;

export function dropZone(o: DropOptions): HTMLElement {
  const id = `drop-${++count}`;
  const input = h('input', { type: 'file', id, accept: o.accept, multiple: o.multiple ?? false, 'data-testid': o.testId });
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = ''; // the same file chosen again fires change again
    if (files.length > 0) o.onFiles(files);
  });
  const zone = h('div', { class: 'drop' }, h('label', { for: id }, `${o.label}: drop here or choose `), input);
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length > 0) o.onFiles(files);
  });
  return zone;
}
