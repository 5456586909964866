// A small convolutional U-Net eps-predictor for square grey images (28x28, or 8x8), sized to train visibly on
// a CPU/wasm backend: two resolutions below the input (28 -> 14 -> 7, or 8 -> 4 -> 2), 16 and 32 channels, a
// residual block per level with the time embedding added to it. Skip connections are added, not concatenated:
// the gradient of a channel concat is a split into C-float runs, the slowest op of a training step on wasm
// (measured).
// No normalisation layers (TF.js has no group norm); the residual form keeps it trainable at this depth.
import * as tf from '@tensorflow/tfjs';
import { Dense } from './layers';
import type { Denoiser } from './ddpm';
import { timeEmbedding } from './timeEmbedding';

/**
 * A 3x3 'same' convolution written as im2col + one Dense matMul: TF.js's cpu backend computes conv2d gradients
 * with naive loops (~35x the forward time, measured), while slices, concats and a matMul have fast gradients
 * on every backend, and the Dense layer's matMuls stay untransposed (the wasm fast path).
 */
export class Conv3x3 {
  readonly dense: Dense;

  constructor(
    readonly name: string,
    readonly inC: number,
    outC: number,
    seed: number,
    readonly stride: 1 | 2 = 1,
    gain = 1,
  ) {
    this.dense = new Dense(name, 9 * inC, outC, seed);
    if (gain !== 1) tf.tidy(() => this.dense.W.assign(tf.mul(this.dense.W, gain)));
  }

  get W(): tf.Variable {
    return this.dense.W;
  }

  get b(): tf.Variable {
    return this.dense.b;
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const [B, H, W, C] = x.shape;
    const s = this.stride,
      Ho = H / s,
      Wo = W / s;
    if (!Number.isInteger(Ho) || !Number.isInteger(Wo)) throw new Error(`${this.name}: ${H}x${W} is not divisible by the stride ${s}`);
    const padded = tf.pad(x, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    // Each tap is a slice whose innermost contiguous run is a whole output row (Wo * C floats): TF.js copies a
    // slice run by run, so 4D slices with C-float runs are ~10x slower. For stride 2 the padded image is first
    // split into its 4 row/column phases (a transpose), so a tap is again a plain slice of one phase.
    const Hp = H + 2,
      Wp = W + 2;
    let source: tf.Tensor3D;
    if (s === 1) {
      source = tf.reshape(padded, [B, Hp, Wp * C]);
    } else {
      const phases = tf.transpose(tf.reshape(padded, [B, Hp / 2, 2, Wp / 2, 2, C]), [2, 4, 0, 1, 3, 5]);
      source = tf.reshape(phases, [4 * B, Hp / 2, (Wp / 2) * C]);
    }
    const taps: tf.Tensor[] = [];
    for (let dy = 0; dy < 3; dy++) {
      for (let dx = 0; dx < 3; dx++) {
        const tap =
          s === 1
            ? tf.slice(source, [0, dy, dx * C], [B, Ho, Wo * C])
            : tf.slice(source, [((dy % 2) * 2 + (dx % 2)) * B, dy >> 1, (dx >> 1) * C], [B, Ho, Wo * C]);
        taps.push(tf.reshape(tap, [1, B * Ho * Wo, C]));
      }
    }
    // Stack taps on a leading axis (its gradient is contiguous slices), then one transpose to [pixels, 9 C].
    const patches = tf.reshape(tf.transpose(tf.concat(taps, 0), [1, 0, 2]), [B * Ho * Wo, 9 * C]) as tf.Tensor2D;
    return tf.reshape(this.dense.apply(patches), [B, Ho, Wo, -1]) as tf.Tensor4D;
  }

  dispose(): void {
    this.dense.dispose();
  }
}

const silu = <T extends tf.Tensor>(x: T): T => tf.mul(x, tf.sigmoid(x));

/** x + conv2(silu(conv1(silu(x)) + temb)): the time embedding enters as a per-channel bias. */
class ResBlock {
  readonly conv1: Conv3x3;
  readonly conv2: Conv3x3;
  readonly time: Dense;

  constructor(name: string, channels: number, embDim: number, seed: number) {
    this.conv1 = new Conv3x3(`${name}/conv1`, channels, channels, seed);
    this.conv2 = new Conv3x3(`${name}/conv2`, channels, channels, seed + 1, 1, 0.5);
    this.time = new Dense(`${name}/time`, embDim, channels, seed + 2);
  }

  apply(x: tf.Tensor4D, emb: tf.Tensor2D): tf.Tensor4D {
    const [B, , , C] = x.shape;
    let h = this.conv1.apply(silu(x));
    h = tf.add(h, tf.reshape(this.time.apply(emb), [B, 1, 1, C]));
    h = this.conv2.apply(silu(h));
    return tf.add(x, h);
  }

  parts(): [string, tf.Variable][] {
    return [
      ['conv1/W', this.conv1.W],
      ['conv1/b', this.conv1.b],
      ['conv2/W', this.conv2.W],
      ['conv2/b', this.conv2.b],
      ['time/W', this.time.W],
      ['time/b', this.time.b],
    ];
  }

  dispose(): void {
    this.conv1.dispose();
    this.conv2.dispose();
    this.time.dispose();
  }
}

export interface UNetOptions {
  seed: number;
  /** Prefix of the variable names (raw and EMA copies live side by side). */
  name?: string;
  /** Channels at 28x28 (doubled at 14x14 and 7x7). */
  channels?: number;
  imageSize?: number;
}

/** eps_theta for images flattened to [B, S*S] in [-1, 1]; t is the 0-based timestep index. */
export class UNet implements Denoiser {
  readonly dataDim: number;
  readonly imageSize: number;
  private readonly timeDim = 32;
  private readonly embDim = 64;
  private readonly timeMlp: Dense;
  private readonly convIn: Conv3x3;
  private readonly res1: ResBlock;
  private readonly down1: Conv3x3;
  private readonly res2: ResBlock;
  private readonly down2: Conv3x3;
  private readonly mid: ResBlock;
  private readonly up2: Conv3x3;
  private readonly up2Time: Dense;
  private readonly up1: Conv3x3;
  private readonly up1Time: Dense;
  private readonly up1Mix: Conv3x3;
  private readonly convOut: Conv3x3;

  constructor(opts: UNetOptions) {
    const c1 = opts.channels ?? 16,
      c2 = 2 * c1,
      n = opts.name ?? 'unet';
    let seed = opts.seed;
    this.imageSize = opts.imageSize ?? 28;
    this.dataDim = this.imageSize * this.imageSize;
    this.timeMlp = new Dense(`${n}/timeMlp`, this.timeDim, this.embDim, seed++);
    this.convIn = new Conv3x3(`${n}/convIn`, 1, c1, seed++);
    this.res1 = new ResBlock(`${n}/res1`, c1, this.embDim, (seed += 3));
    this.down1 = new Conv3x3(`${n}/down1`, c1, c2, seed++, 2);
    this.res2 = new ResBlock(`${n}/res2`, c2, this.embDim, (seed += 3));
    this.down2 = new Conv3x3(`${n}/down2`, c2, c2, seed++, 2);
    this.mid = new ResBlock(`${n}/mid`, c2, this.embDim, (seed += 3));
    this.up2 = new Conv3x3(`${n}/up2`, c2, c2, seed++);
    this.up2Time = new Dense(`${n}/up2Time`, this.embDim, c2, seed++);
    this.up1 = new Conv3x3(`${n}/up1`, c2, c1, seed++);
    this.up1Time = new Dense(`${n}/up1Time`, this.embDim, c1, seed++);
    this.up1Mix = new Conv3x3(`${n}/up1Mix`, c1, c1, seed++);
    this.convOut = new Conv3x3(`${n}/convOut`, c1, 1, seed, 1, 0.1);
  }

  predict(xt: tf.Tensor2D, t: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const B = xt.shape[0],
        S = this.imageSize;
      const emb = silu(this.timeMlp.apply(timeEmbedding(t, this.timeDim)));
      const x = tf.reshape(xt, [B, S, S, 1]) as tf.Tensor4D;
      const s1 = this.res1.apply(this.convIn.apply(x), emb); // S
      const s2 = this.res2.apply(this.down1.apply(silu(s1)), emb); // S/2
      const m = this.mid.apply(this.down2.apply(silu(s2)), emb); // S/4
      const bias = (d: Dense, C: number) => tf.reshape(d.apply(emb), [B, 1, 1, C]);
      const up = (h: tf.Tensor4D, size: number) => tf.image.resizeNearestNeighbor(h, [size, size]);
      // 7 -> 14: upsample, add the skip, conv. 14 -> 28: conv down to c1 channels at 14x14 (4x cheaper than at
      // 28x28), upsample, add the skip, one more conv to mix them.
      const u2 = silu(tf.add(this.up2.apply(tf.add(up(m, S / 2), s2)), bias(this.up2Time, s2.shape[3]))) as tf.Tensor4D;
      const u1 = silu(tf.add(tf.add(up(this.up1.apply(u2), S), s1), bias(this.up1Time, s1.shape[3]))) as tf.Tensor4D;
      const mixed = silu(this.up1Mix.apply(u1));
      return tf.reshape(this.convOut.apply(mixed), [B, S * S]) as tf.Tensor2D;
    });
  }

  variables(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    const add = (key: string, layer: { W: tf.Variable; b: tf.Variable }) => {
      out.set(`${key}/W`, layer.W);
      out.set(`${key}/b`, layer.b);
    };
    add('timeMlp', this.timeMlp);
    add('convIn', this.convIn);
    for (const [key, block] of [
      ['res1', this.res1],
      ['res2', this.res2],
      ['mid', this.mid],
    ] as const) {
      for (const [part, v] of block.parts()) out.set(`${key}/${part}`, v);
    }
    add('down1', this.down1);
    add('down2', this.down2);
    add('up2', this.up2);
    add('up2Time', this.up2Time);
    add('up1', this.up1);
    add('up1Time', this.up1Time);
    add('up1Mix', this.up1Mix);
    add('convOut', this.convOut);
    return out;
  }

  dispose(): void {
    for (const v of this.variables().values()) v.dispose();
  }
}
