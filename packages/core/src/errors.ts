/**
 * Every error convzoo raises on bad input is a ConvzooError with a stable `code`, so callers
 * (the CLI above all) can tell user mistakes from bugs without parsing messages.
 */
export type ErrorCode =
  | 'GRAPH_INVALID'
  | 'SHAPE_INVALID'
  | 'WEIGHTS_INVALID'
  | 'FILE_INVALID'
  | 'ARGUMENT_INVALID'
  | 'UNKNOWN_MODEL'
  | 'DEVICE_UNAVAILABLE'
  | 'UNSUPPORTED';

export class ConvzooError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ConvzooError';
    this.code = code;
  }
}

/** A problem with one node of a graph: structure, attributes or the shapes flowing into it. */
export class GraphError extends ConvzooError {
  readonly node: string | undefined;
  constructor(message: string, node?: string, code: ErrorCode = 'GRAPH_INVALID') {
    super(code, node === undefined ? message : `node "${node}": ${message}`);
    this.name = 'GraphError';
    this.node = node;
  }
}

export class ShapeError extends GraphError {
  constructor(message: string, node?: string) {
    super(message, node, 'SHAPE_INVALID');
    this.name = 'ShapeError';
  }
}

export class WeightsError extends ConvzooError {
  constructor(message: string) {
    super('WEIGHTS_INVALID', message);
    this.name = 'WeightsError';
  }
}

/** A file (safetensors, graph JSON, .npy, ...) that cannot be read as what it claims to be. */
export class FileFormatError extends ConvzooError {
  readonly file: string | undefined;
  constructor(message: string, file?: string) {
    super('FILE_INVALID', file === undefined ? message : `${file}: ${message}`);
    this.name = 'FileFormatError';
    this.file = file;
  }
}

export function isConvzooError(e: unknown): e is ConvzooError {
  return e instanceof ConvzooError;
}
