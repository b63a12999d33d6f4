// The part of jsfive 0.4.2's API the Keras reader uses (the package ships no types).
declare module 'jsfive' {
  type Attrs = Record<string, unknown>;
  export class Group {
    readonly attrs: Attrs;
    readonly keys: string[];
    get(path: string): Group | Dataset;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
  export class Dataset {
    readonly attrs: Attrs;
    readonly shape: number[];
    /** A numpy-style type string such as '<f4', or an array for compound / string / reference types. */
    readonly dtype: unknown;
    /** Unwritten storage leaves holes (undefined). */
    readonly value: ArrayLike<number | undefined>;
    readonly fillvalue: unknown;
  }
}
