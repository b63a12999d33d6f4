/**
 * One bench section in its own process (so no section's threads, heap or wasm memory weigh on
 * the next), printing its result as one JSON line. run.mjs drives these.
 *   node bench/section.mjs ort-vs-torch ARCH BATCH ROUNDS
 *   node bench/section.mjs vgg-layers ROUNDS
 *   node bench/section.mjs lenet-train SAMPLES EPOCHS_PER_BLOCK
 */
const [what, ...args] = process.argv.slice(2);
const n = (i) => Number(args[i]);
let result;
if (what === 'ort-vs-torch') result = await (await import('./ort-vs-torch.mjs')).ortVsTorch(args[0], n(1), n(2));
else if (what === 'vgg-layers') result = await (await import('./vgg-layers.mjs')).vggLayers(n(0));
else if (what === 'lenet-train') result = await (await import('./lenet-train.mjs')).lenetTrain(n(0), n(1));
else throw new Error(`unknown section ${what}; expected ort-vs-torch, vgg-layers or lenet-train`);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0); // tfjs-wasm keeps the event loop alive
