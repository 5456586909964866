import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { base64ToBytes, base64ToFloat32, bytesToBase64, decodeNamed, encodeNamed, float32ToBase64 } from '../../src/models/checkpointCodec';
import { useCpuBackend } from './helpers/tf';

/** Runs `fn` with Node's Buffer hidden, so the browser path (btoa/atob in chunks) is the one tested. */
function withoutBuffer<T>(fn: () => T): T {
  const g = globalThis as { Buffer?: unknown };
  const saved = g.Buffer;
  try {
    g.Buffer = undefined;
    return fn();
  } finally {
    g.Buffer = saved;
  }
}

describe('checkpoint codec', () => {
  before(useCpuBackend);

  it('float32 arrays survive base64 both ways, special values included', () => {
    const values = new Float32Array([0, -0, 1.5, -3.25e-12, 3.4e38, Infinity, -Infinity, NaN, Math.PI]);
    const text = float32ToBase64(values);
    assert.equal(text, Buffer.from(values.buffer).toString('base64'));
    const back = base64ToFloat32(text);
    assert.deepEqual(new Uint8Array(back.buffer), new Uint8Array(values.buffer));
  });

  it('the browser path (no Buffer) gives the same text and bytes, across chunk boundaries', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 256);
    const expected = Buffer.from(bytes).toString('base64');
    assert.equal(
      withoutBuffer(() => bytesToBase64(bytes)),
      expected,
    );
    assert.deepEqual(
      withoutBuffer(() => base64ToBytes(expected)),
      bytes,
    );
    assert.throws(() => withoutBuffer(() => base64ToBytes('AB$=')), /not valid base64/);
    assert.equal(bytesToBase64(bytes), expected);
    assert.deepEqual(base64ToBytes(expected), new Uint8Array(bytes));
  });

  it('encodeNamed / decodeNamed round-trip tensors with their shapes', async () => {
    const map = new Map<string, tf.Tensor>([
      [
        'enc/W',
        tf.tensor2d([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ],
      ['t', tf.scalar(42)],
      ['steps', tf.tensor1d([1, 2], 'int32')],
    ]);
    const encoded = await encodeNamed(map);
    assert.deepEqual(
      encoded.map((e) => [e.name, e.shape]),
      [
        ['enc/W', [2, 3]],
        ['t', []],
        ['steps', [2]],
      ],
    );
    const decoded = decodeNamed(JSON.parse(JSON.stringify(encoded)));
    assert.deepEqual([...decoded.get('enc/W')!.values], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(decoded.get('t'), { shape: [], values: new Float32Array([42]) });
    assert.deepEqual([...decoded.get('steps')!.values], [1, 2]);
    tf.dispose([...map.values()]);
  });

  it('rejects corrupt entries with an Error that names them', () => {
    const good = { name: 'w', shape: [2], data: float32ToBase64(new Float32Array([1, 2])) };
    assert.equal(decodeNamed([good]).size, 1);
    assert.throws(() => decodeNamed([{ ...good, data: 'AAAA!AAA' }]), /'w' is corrupt: not valid base64/);
    assert.throws(() => decodeNamed([{ ...good, data: good.data.slice(0, -1) }]), /'w' is corrupt: not valid base64/);
    assert.throws(() => decodeNamed([{ ...good, shape: [3] }]), /'w' is corrupt: 2 values for shape \[3\]/);
    assert.throws(() => decodeNamed([{ ...good, data: bytesToBase64(new Uint8Array(6)) }]), /'w' is corrupt: 6 bytes/);
    assert.throws(() => decodeNamed([{ ...good, shape: [-2] }]), /bad shape/);
    assert.throws(() => decodeNamed([good, good]), /duplicate name/);
    assert.throws(() => decodeNamed([{ name: 'x', shape: [1] } as never]), /'x' is corrupt: data is not a string/);
  });
});
