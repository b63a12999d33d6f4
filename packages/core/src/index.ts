export * from './errors.js';
export { sizeOf, formatShape, maxRelDiff, nonFinite, nonFiniteWarnings, type TensorData, type Shape } from './tensor.js';
export * from './ops/index.js';
export { analyzeGraph, MAX_ACTIVATION_ELEMENTS, type Graph, type AnalyzedGraph } from './graph/graph.js';
export { GraphBuilder, type SymbolicTensor, type Conv2DOptions, type Pool2DOptions, type AvgPool2DOptions } from './graph/builder.js';
export { graphFromJson, graphToJson, GRAPH_FORMAT, GRAPH_VERSION, MAX_GRAPH_NODES, type GraphJson } from './graph/json.js';
export { Model, applyConnectionMask, type ParamEntry } from './model.js';
export { Summary, type LayerSummary } from './summary.js';
export {
  encodeSafetensors, decodeSafetensors, halfToFloat, bfloat16ToFloat, MAX_HEADER_BYTES, MAX_TENSOR_ELEMENTS, type TensorMap, type Safetensors,
} from './weights/safetensors.js';
export { rng } from './weights/random.js';
export { encodeNpy, decodeNpy } from './io/npy.js';
export { checkPredictInput, checkOptionKeys, type Backend, type CompiledModel, type CompileOptions } from './backend.js';
export * as registry from './registry.js';
export {
  create, list, register, resolveVariant, type ModelCard, type ModelFlag, type ModelOptions, type PaperRef, type RegistryEntry, type KerasNames, type TorchvisionNames,
} from './registry.js';
export {
  TORCHVISION_IMAGENET, KERAS_CAFFE, MNIST, timmPreprocessing, fitPreprocessing, checkPreprocessing, outputSize,
  type Preprocessing, type Interpolation, type ChannelOrder, type TimmConfig,
} from './preprocessing.js';
export { resolveLayer } from './layers.js';
export { torchModules, pythonIdentifier, type TorchModule } from './torch-names.js';
export { defineFamily, type CardFacts, type Family, type FamilyEntry, type FamilySpec } from './family.js';
export { selectFeatures, poolFeatures, classifierOutput, modelOutputs, resolveInput, type Stage } from './heads.js';
export { learningRateAt, checkLearningRate, type LearningRate, type StepSchedule, type CosineSchedule, type Progress } from './training/schedule.js';
export { checkLabeledData, epochOrder, gatherBatch, loadBatch, batches, type LabeledData, type BatchSource, type TrainingData } from './training/data.js';
export { frozenLayers, resolveFreeze } from './training/freeze.js';
export { logitsOf } from './training/logits.js';
export { dropoutMask } from './training/dropout.js';
export { runFitLoop, type FitLoop, type StepContext } from './training/loop.js';
export {
  resolveFitOptions, resolveEvaluateOptions, resolveOptimizer, checkBatchSize, DEFAULT_LEARNING_RATE, DEFAULT_EVALUATE_BATCH_SIZE,
  type FitOptions, type FitResult, type FitCallbacks, type BatchLogs, type EpochLogs, type EpochCheckpoint,
  type EvaluateOptions, type Evaluation, type Trainer, type ResolvedFit,
  type OptimizerOptions, type OptimizerSpec, type SgdOptions, type AdamOptions, type RmspropOptions,
} from './training/options.js';
