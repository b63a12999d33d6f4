declare module 'virtual:demo-assets' {
  /** Trained model directories present under public/models/ at build time. */
  export const TRAINED_MODELS: readonly { readonly name: string; readonly arch: string }[];
  /** The MNIST training sample: `count` labels, then `count` 28x28 images, as bytes. */
  export const MNIST_SAMPLE: { readonly url: string; readonly count: number };
}

