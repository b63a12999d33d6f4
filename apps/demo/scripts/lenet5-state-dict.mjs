// Prints the shipped trained LeNet-5 (public/models/lenet5-mnist) as a PyTorch-named state dict in
// JSON ({ name: { shape, data } }), for make_lenet5_pth.py. Run from apps/demo after building the packages.
import { readFileSync } from 'node:fs';
import { Model, decodeSafetensors, graphFromJson } from '@convzoo/core';
import { torchStateDict } from '@convzoo/weights';
import '@convzoo/arch-lenet';

const dir = new URL('../public/models/lenet5-mnist/', import.meta.url);
const graph = graphFromJson(readFileSync(new URL('graph.json', dir), 'utf8'), 'graph.json');
const { tensors } = decodeSafetensors(readFileSync(new URL('weights.safetensors', dir)), 'weights.safetensors');
const out = {};
for (const [name, t] of torchStateDict(new Model(graph, tensors))) out[name] = { shape: t.shape, data: Array.from(t.data) };
process.stdout.write(JSON.stringify(out));
