/** The drawing canvas: white strokes on black, like MNIST. */
import { h } from '../ui/dom.js';
import type { Gray } from './mnist-format.js';

export interface Pad {
  readonly canvas: HTMLCanvasElement;
  clear(): void;
  /**
   * Puts an image on the pad, fitted and centred, as white on black (an image with a light
   * border, ink on paper, is inverted).
   */
  showImage(image: ImageBitmap): void;
  /** The drawing as grayscale in [0, 1]. */
  gray(): Gray;
}

/** `onDraw` runs after each stroke segment (the caller throttles). */
export function createPad(size: number, onDraw: () => void): Pad {
  const canvas = h('canvas', {
    width: size, height: size, class: 'pad', 'data-testid': 'digit-canvas', role: 'img',
    'aria-label': 'Drawing pad: draw a digit with the mouse, a pen or a finger (keyboard users: load an image below)',
  });
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, size, size);
  };
  clear();
  // A pen about two MNIST pixels wide once a digit drawn across most of the pad is scaled to its 20-pixel box.
  ctx.lineWidth = size / 14;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = '#fff';

  let last: { x: number; y: number } | undefined;
  const at = (e: PointerEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * size) / r.width, y: ((e.clientY - r.top) * size) / r.height };
  };
  const segment = (to: { x: number; y: number }) => {
    ctx.beginPath();
    ctx.moveTo(last!.x, last!.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    last = to;
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    segment(last); // a dot for a click without movement
    onDraw();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (last === undefined) return;
    segment(at(e));
    onDraw();
  });
  const end = () => (last = undefined);
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  const gray = (): Gray => {
    const rgba = ctx.getImageData(0, 0, size, size).data;
    const data = new Float32Array(size * size);
    for (let i = 0; i < data.length; i++) data[i] = (0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!) / 255;
    return { width: size, height: size, data };
  };

  const showImage = (image: ImageBitmap) => {
    const scale = Math.min(size / image.width, size / image.height);
    const w = Math.round(image.width * scale);
    const hh = Math.round(image.height * scale);
    const x0 = Math.floor((size - w) / 2);
    const y0 = Math.floor((size - hh) / 2);
    clear();
    // Transparency reads as paper (white), as the CLI's PNG reader does.
    ctx.fillStyle = '#fff';
    ctx.fillRect(x0, y0, w, hh);
    ctx.drawImage(image, x0, y0, w, hh);
    const g = gray();
    const inside = (i: number) => i % size >= x0 && i % size < x0 + w && Math.floor(i / size) >= y0 && Math.floor(i / size) < y0 + hh;
    // The image's own top and bottom rows tell the background: light means ink on paper.
    let border = 0;
    for (const y of [y0, y0 + hh - 1]) for (let x = x0; x < x0 + w; x++) border += g.data[y * size + x]!;
    const light = border / (2 * w) > 0.5;
    const img = ctx.createImageData(size, size);
    g.data.forEach((v, i) => {
      const ink = inside(i) ? 255 * (light ? 1 - v : v) : 0;
      img.data.set([ink, ink, ink, 255], 4 * i);
    });
    ctx.putImageData(img, 0, 0);
  };

  return { canvas, clear, showImage, gray };
}
