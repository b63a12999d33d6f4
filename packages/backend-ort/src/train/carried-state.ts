/**
 * The values a step graph carries from one run to the next (parameters, moving statistics,
 * optimizer slots), kept as ONNX Runtime tensors over Float32Arrays and double-buffered: a step
 * reads one buffer of each and ONNX Runtime writes the next values into the other (preallocated
 * outputs), then the two swap. Nothing is re-serialized or re-allocated between steps.
 */
import { Tensor } from 'onnxruntime-node';
import { nextName, type StateEntry } from './step-graph.js';

interface Slot {
  readonly entry: StateEntry;
  current: Tensor;
  spare: Tensor | undefined;
}

export class CarriedState {
  private readonly slots: Slot[];
  private readonly byName: ReadonlyMap<string, Slot>;

  constructor(entries: readonly StateEntry[], initial: (entry: StateEntry) => Float32Array) {
    this.slots = entries.map((entry) => {
      const dims = [...entry.shape];
      const data = initial(entry);
      return {
        entry,
        current: new Tensor('float32', data, dims),
        spare: entry.updated ? new Tensor('float32', new Float32Array(data.length), dims) : undefined,
      };
    });
    this.byName = new Map(this.slots.map((s) => [s.entry.name, s]));
  }

  /** Adds every carried value to a step's feeds. */
  feed(feeds: Record<string, Tensor>): void {
    for (const s of this.slots) feeds[s.entry.name] = s.current;
  }

  /** The preallocated outputs a step writes the next values into. */
  fetches(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const s of this.slots) if (s.spare) out[nextName(s.entry.name)] = s.spare;
    return out;
  }

  /** After a step has run: the next values become the current ones. */
  swap(): void {
    for (const s of this.slots) {
      if (s.spare) [s.current, s.spare] = [s.spare, s.current];
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
