/**
 * The values a step graph carries from one run to the next (parameters, moving statistics,
 * optimizer slots), kept as ONNX Runtime tensors over Float32Arrays and double-buffered: a step
 * reads one buffer of each and ONNX Runtime writes the next values into the other (preallocated
 * outputs), then the two swap. Nothing is re-serialized or re-allocated between steps. Where the
 * runtime does not fill preallocated outputs (onnxruntime-web), each step's outputs are taken.
 */
import { nextName, type StateEntry } from '@convzoo/onnx/train';
import type { Tensor } from 'onnxruntime-common';

interface Slot {
  readonly entry: StateEntry;
  current: Tensor;
  spare: Tensor | undefined;
}

export class CarriedState {
  private readonly slots: Slot[];
  private readonly byName: ReadonlyMap<string, Slot>;

  constructor(TensorClass: typeof Tensor, private readonly preallocate: boolean, entries: readonly StateEntry[], initial: (entry: StateEntry) => Float32Array) {
    this.slots = entries.map((entry) => {
      const dims = [...entry.shape];
      const data = initial(entry);
      return {
        entry,
        current: new TensorClass('float32', data, dims),
        spare: entry.updated && preallocate ? new TensorClass('float32', new Float32Array(data.length), dims) : undefined,
      };
    });
    this.byName = new Map(this.slots.map((s) => [s.entry.name, s]));
  }

  /** Adds every carried value to a step's feeds. */
  feed(feeds: Record<string, Tensor>): void {
    for (const s of this.slots) feeds[s.entry.name] = s.current;
  }

  /** The outputs a step writes the next values into: preallocated where the runtime fills them. */
  fetches(): Record<string, Tensor | null> {
    const out: Record<string, Tensor | null> = {};
    for (const s of this.slots) if (s.entry.updated) out[nextName(s.entry.name)] = s.spare ?? null;
    return out;
  }

  /** After a step has run: the next values become the current ones (the old ones the next spares). */
  swap(results: Readonly<Record<string, Tensor>>): void {
    for (const s of this.slots) {
      if (!s.entry.updated) continue;
      const next = results[nextName(s.entry.name)]!;
      if (this.preallocate) s.spare = s.current;
      s.current = next;
    }
  }

  get(name: string): Float32Array {
    const s = this.byName.get(name);
    if (s === undefined) throw new Error(`no carried value "${name}"`);
    return s.current.data as Float32Array;
  }

  entries(kind: StateEntry['kind']): readonly StateEntry[] {
    return this.slots.filter((s) => s.entry.kind === kind).map((s) => s.entry);
  }
}
