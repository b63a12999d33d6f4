/**
 * @convzoo/weights: weight files into convzoo's native models. PyTorch `.pth` / `.pt` state
 * dicts (zip and legacy torch.save formats, through a restricted unpickler) and safetensors,
 * with torchvision / timm names (each family's table, in its arch package) or convzoo's own;
 * Keras Applications `.h5` weight files (HDF5 read by jsfive) with Keras's layer names.
 * No Node imports: the same code runs in browsers.
 */
export { loadWeights, torchStateDict, type LoadWeightsOptions, type LoadedWeights, type WeightFormat } from './load.js';
export { readTorch } from './torch.js';
export { readKerasH5, isHdf5, MAX_H5_ELEMENTS, type KerasFile, type KerasTensor } from './h5/keras-file.js';
export { unpickle, PyGlobal, PyTuple, MAX_PICKLE_MEMO, MAX_PICKLE_STACK, type PickleHooks } from './pickle.js';
