/**
 * @convzoo/torch: convzoo graphs as PyTorch source. A self-contained nn.Module file generated
 * from the core graph (one emitter per op, NCHW, torchvision's state-dict names where the family
 * has them) and a torchrun / DistributedDataParallel training example. Generating needs no torch
 * and no Node API; the weights beside it come from @convzoo/weights' torchStateDict.
 */
export { torchModule, type TorchModuleOptions, type TorchModuleSource } from './module.js';
export { trainDdpScript } from './train-ddp.js';
