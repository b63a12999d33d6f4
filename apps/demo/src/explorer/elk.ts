/** One ELK instance for the pages that lay out graphs; it runs in ELK's own worker (ResNet-152's 515 layers take seconds). */
import ElkConstructor from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';

export const elk = new ElkConstructor({ workerUrl: elkWorkerUrl });
