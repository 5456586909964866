// Named float arrays <-> JSON-safe base64 (the Checkpoint format of protocol.ts). Works in browsers and
// workers (btoa/atob in chunks) and in Node (Buffer when present).
import type * as tf from '@tensorflow/tfjs';
import type { NamedArray } from '../domain/run';

interface NodeBuffer {
  from(data: ArrayBufferView | string, encoding?: string): Uint8Array & { toString(encoding: string): string };
}

/** Looked up per call, so tests can take the browser path in Node. */
const nodeBuffer = () => (globalThis as { Buffer?: NodeBuffer }).Buffer;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  const buffer = nodeBuffer();
  if (buffer) return buffer.from(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Throws on anything that is not canonical base64 (Node's decoder would silently skip bad characters). */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new Error('not valid base64');
  const buffer = nodeBuffer();
  if (buffer) {
    const b = buffer.from(text, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  }
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function float32ToBase64(values: Float32Array): string {
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function base64ToFloat32(text: string): Float32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 4 !== 0) throw new Error(`${bytes.length} bytes is not a whole number of float32 values`);
  // copy: the decoded bytes may not be 4-byte aligned
  const out = new Float32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Reads every tensor (one `await data()` each, all in flight together) into base64 float32 arrays. */
export async function encodeNamed(map: Map<string, tf.Tensor>): Promise<NamedArray[]> {
  const entries = [...map];
  const arrays = await Promise.all(entries.map(([, t]) => t.data()));
  return entries.map(([name, t], i) => {
    const a = arrays[i];
    const values = a instanceof Float32Array ? a : Float32Array.from(a as ArrayLike<number>);
    return { name, shape: [...t.shape], data: float32ToBase64(values) };
  });
}

/** The inverse of encodeNamed; a clear Error names the first corrupt entry. */
export function decodeNamed(arrays: readonly NamedArray[]): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const entry of arrays) {
    const name = typeof entry?.name === 'string' ? entry.name : '(unnamed)';
    const fail = (why: string): never => {
      throw new Error(`checkpoint entry '${name}' is corrupt: ${why}`);
    };
    if (typeof entry?.name !== 'string') fail('no name');
    if (!Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`bad shape ${JSON.stringify(entry.shape)}`);
    if (typeof entry.data !== 'string') fail('data is not a string');
    if (out.has(name)) fail('duplicate name');
    let values: Float32Array;
    try {
      values = base64ToFloat32(entry.data);
    } catch (e) {
      return fail((e as Error).message);
    }
    const expected = entry.shape.reduce((p, q) => p * q, 1);
    if (values.length !== expected) fail(`${values.length} values for shape [${entry.shape}] (${expected} expected)`);
    out.set(name, { shape: [...entry.shape], values });
  }
  return out;
}
