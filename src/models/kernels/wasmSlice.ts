// Slice and SplitV for TF.js's wasm backend without its whole-input copy. The stock kernels read their input
// with `readSync`, which copies the entire tensor out of the wasm heap on every call: a 3x3 convolution's nine
// tap slices copy the padded image nine times, and the gradient of its tap concat (a SplitV into nine parts)
// copies a tensor nine times its size nine times, most of a U-Net step (measured: 827 of about 1,350 ms at
// 28x28, batch 32). These read the input in place through a view of the heap. Pure TF.js kernel API.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

type NumericArray = Float32Array | Int32Array | Uint8Array;

/** The parts of the wasm backend these kernels use (its own slice kernel uses the same). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): NumericArray;
}

interface SliceArgs {
  inputs: { x: tf.TensorInfo };
  attrs: { begin: number | number[]; size: number | number[] };
  backend: WasmBackendLike;
}

interface SplitArgs {
  inputs: { x: tf.TensorInfo };
  attrs: { numOrSizeSplits: number | number[]; axis: number | number[] };
  backend: WasmBackendLike;
}

/** Copies the box `begin`..`begin + size` of `src` (shape `shape`) into `dst`, one innermost run at a time. */
export function copyBox(src: NumericArray, shape: readonly number[], begin: readonly number[], size: readonly number[], dst: NumericArray): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  const strides = tf.util.computeStrides(shape as number[]);
  const run = size[rank - 1];
  const outer = size.slice(0, rank - 1);
  const count = outer.reduce((a, b) => a * b, 1);
  if (run === 0 || count === 0) return;
  const index = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < count; r++) {
    let offset = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) offset += (begin[d] + index[d]) * strides[d];
    dst.set(src.subarray(offset, offset + run), r * run);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < outer[d]) break;
      index[d] = 0;
    }
  }
}

function sliceInPlace(x: tf.TensorInfo, begin: number[], size: number[], backend: WasmBackendLike): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  // Views after makeOutput: an allocation may grow the heap and detach older views.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
    dst.set(src.subarray(offset, offset + dst.length));
  } else {
    copyBox(src, x.shape, begin, size, dst);
  }
  return out;
}

function slice({ inputs: { x }, attrs, backend }: SliceArgs): tf.TensorInfo {
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
  return sliceInPlace(x, begin, size, backend);
}

function splitV({ inputs: { x }, attrs, backend }: SplitArgs): tf.TensorInfo[] {
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const part = sliceInPlace(x, [...begin], size, backend);
    begin[axis] += s;
    return part;
  });
}

let installed = false;
let stockOnly = false;

/** Routes Slice and SplitV back to the stock kernels (benchmarks time stock TF.js with its own kernels). */
export function useStockSlice(stock: boolean): void {
  stockOnly = stock;
}

/** Replaces the wasm backend's Slice and SplitV with the in-place ones (strings keep the stock kernels). */
export function installWasmSlice(): void {
  if (installed) return;
  installed = true;
  for (const [name, impl] of [
    ['Slice', slice],
    ['SplitV', splitV],
  ] as const) {
    const stock = tf.getKernel(name, 'wasm');
    if (!stock) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: (args) =>
        (stockOnly || (args.inputs.x as tf.TensorInfo).dtype === 'string' ? stock.kernelFunc(args) : impl(args as unknown as SliceArgs & SplitArgs)) as
          tf.TensorInfo | tf.TensorInfo[],
    });
  }
}
