import * as tf from '@tensorflow/tfjs-core';
import { ConvzooError, type OptimizerOptions, type TensorData, type TensorMap } from '@convzoo/core';

const EXTRA = 'extra/';
const ADAM_POWERS = ['accBeta1', 'accBeta2'] as const;

export interface Optimizer {
  readonly name: OptimizerOptions['name'];
  setLearningRate(lr: number): void;
  /** One update from gradients by variable name; disposes the gradients. */
  apply(grads: tf.NamedTensorMap, variables: ReadonlyMap<string, tf.Variable>): void;
  /**
   * The optimizer's slots (step count, moments...) as named tensors, keys prefixed by their
   * position (`0003/<param>/m`) because tfjs restores them by position. `rename` maps tfjs
   * variable names to stable parameter keys.
   */
  saveState(rename: (variableName: string) => string): Promise<TensorMap>;
  loadState(state: ReadonlyMap<string, TensorData>): Promise<void>;
  dispose(): void;
}

/** A tfjs-core optimizer behind a learning rate that can change every step (schedules). */
export function createOptimizer(o: OptimizerOptions, learningRate: number): Optimizer {
  let opt: tf.Optimizer;
  if (o.name === 'sgd') {
    opt = o.momentum ? tf.train.momentum(learningRate, o.momentum, o.nesterov ?? false) : tf.train.sgd(learningRate);
  } else if (o.name === 'adam') {
    opt = tf.train.adam(learningRate, o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.epsilon ?? 1e-7);
  } else {
    opt = tf.train.rmsprop(learningRate, o.decay ?? 0.9, o.momentum ?? 0, o.epsilon ?? 1e-7, o.centered ?? false);
  }
  const decay = o.weightDecay ?? 0;
  return {
    name: o.name,
    setLearningRate(lr) {
      // SGD and momentum keep -lr as a scalar tensor; Adam and RMSProp read the field each step.
      if (o.name === 'sgd') (opt as tf.SGDOptimizer).setLearningRate(lr);
      else (opt as unknown as { learningRate: number }).learningRate = lr;
    },
    apply(grads, variables) {
      const named = decay > 0
        ? Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.tidy(() => tf.add(g, tf.mul(variables.get(name)!, decay)))]))
        : grads;
      opt.applyGradients(named);
      tf.dispose(Object.values(grads));
      if (named !== grads) tf.dispose(Object.values(named));
    },
    async saveState(rename) {
      const state: TensorMap = new Map();
      const slots = await opt.getWeights();
      slots.forEach(({ name, tensor }, i) => {
        const slash = name.lastIndexOf('/');
        const key = slash < 0 ? name : `${rename(name.slice(0, slash))}${name.slice(slash)}`;
        state.set(`${String(i).padStart(4, '0')}/${key}`, { shape: [...tensor.shape], data: Float32Array.from(tensor.dataSync()) });
      });
      tf.dispose(slots.filter((s) => s.name === 'iter').map((s) => s.tensor));
      // Adam's bias-correction powers: setWeights recomputes them as beta^(t+1), which rounds
      // differently from the running product; keeping them makes a resume bit-exact.
      for (const slot of ADAM_POWERS) {
        const v = (opt as unknown as Record<string, tf.Variable | undefined>)[slot];
        if (v !== undefined) state.set(`${EXTRA}${slot}`, { shape: [], data: Float32Array.from(v.dataSync()) });
      }
      return state;
    },
    async loadState(state) {
      const keys = [...state.keys()].filter((k) => !k.startsWith(EXTRA)).sort();
      if (keys.length === 0 || !keys[0]!.endsWith('/iter')) {
        throw new ConvzooError('ARGUMENT_INVALID', 'optimizerState must come from FitResult.optimizerState (its first slot is the step count "iter")');
      }
      const named = keys.map((k) => {
        const t = state.get(k)!;
        const isIter = k.endsWith('/iter');
        return { name: k.slice(5), tensor: isIter ? tf.scalar(t.data[0]!, 'int32') : tf.tensor(t.data, [...t.shape]) };
      });
      await opt.setWeights(named);
      tf.dispose(named.map((n) => n.tensor));
      for (const slot of ADAM_POWERS) {
        const saved = state.get(`${EXTRA}${slot}`);
        const v = (opt as unknown as Record<string, tf.Variable | undefined>)[slot];
        if (saved !== undefined && v !== undefined) tf.tidy(() => v.assign(tf.scalar(saved.data[0]!)));
      }
    },
    dispose() {
      opt.dispose();
      // tfjs's MomentumOptimizer.dispose skips the learning-rate scalar of its SGD base class.
      if (o.name === 'sgd' && o.momentum) tf.SGDOptimizer.prototype.dispose.call(opt);
    },
  };
}
