import { describeBackendConformance } from '@convzoo/core/testing';
import { ort } from '../index.js';

describeBackendConformance('ort-cpu', { backend: () => ort({ device: 'cpu', threads: 1 }) });
