/** Explicit padding: [[top, bottom], [left, right]]. */
export type Pads2D = readonly [readonly [number, number], readonly [number, number]];
/** 'same' follows TensorFlow/ONNX SAME_UPPER: an odd total puts the extra cell bottom/right. */
export type Padding = 'valid' | 'same' | Pads2D;
export type Pair = readonly [number, number];

export type ActivationFn = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'scaled_tanh' | 'leaky_relu' | 'clip';
export const ACTIVATIONS: readonly ActivationFn[] = ['linear', 'relu', 'tanh', 'sigmoid', 'softmax', 'scaled_tanh', 'leaky_relu', 'clip'];

/** Attributes of every op, fully specified (builders fill the defaults). Layout is NHWC. */
export interface OpAttrs {
  Input: { shape: readonly number[] };
  Conv2D: {
    filters: number;
    kernelSize: Pair;
    strides: Pair;
    padding: Padding;
    dilation: Pair;
    groups: number;
    useBias: boolean;
    /**
     * Optional partial connectivity (LeNet-5's C3): mask[i][o] is 1 when input channel i feeds
     * output channel o. Masked kernel entries are held at zero and not counted as parameters.
     */
    connectionMask?: readonly (readonly number[])[];
  };
  Dense: { units: number; useBias: boolean };
  /** dilation is absent for 1x1 (graph JSON version 1 has no pool dilation; see graph/json.ts). */
  MaxPool2D: { poolSize: Pair; strides: Pair; padding: Padding; ceilMode: boolean; dilation?: Pair };
  AvgPool2D: { poolSize: Pair; strides: Pair; padding: Padding; ceilMode: boolean; countIncludePad: boolean; dilation?: Pair };
  GlobalAvgPool2D: Record<string, never>;
  Flatten: Record<string, never>;
  Dropout: { rate: number };
  /** momentum is the moving-average decay used in training (Keras convention: 0.99; torch's 0.1 is 0.9 here). */
  BatchNorm: { epsilon: number; momentum: number };
  /** ONNX / PyTorch / Caffe definition: x / (bias + alpha / size * sum_{size window} x^2) ^ beta. */
  LRN: { size: number; alpha: number; beta: number; bias: number };
  /**
   * scaled_tanh is LeNet-5's squashing function 1.7159 * tanh(2x / 3). leaky_relu (x < 0 ? alpha * x : x)
   * needs alpha; clip (ONNX Clip, min(max(x, min), max); ReLU6 is min 0 max 6) needs min, max or
   * both, an absent bound being unbounded. The other functions take neither.
   */
  Activation: { fn: ActivationFn; alpha?: number; min?: number; max?: number };
  Add: Record<string, never>;
  /** Concatenation along the channel (last) axis. */
  Concatenate: Record<string, never>;
  ZeroPadding2D: { padding: Pads2D };
  /** LeNet-5 S2/S4: (sum of each poolSize window) * coefficient[c] + bias[c]. */
  Subsampling: { poolSize: Pair; strides: Pair };
}

export type OpName = keyof OpAttrs;
export const OP_NAMES: readonly OpName[] = [
  'Input', 'Conv2D', 'Dense', 'MaxPool2D', 'AvgPool2D', 'GlobalAvgPool2D', 'Flatten', 'Dropout',
  'BatchNorm', 'LRN', 'Activation', 'Add', 'Concatenate', 'ZeroPadding2D', 'Subsampling',
];

export type GraphNode = {
  [K in OpName]: { readonly name: string; readonly op: K; readonly inputs: readonly string[]; readonly attrs: OpAttrs[K] };
}[OpName];

export type NodeOf<K extends OpName> = Extract<GraphNode, { op: K }>;
