// Shared by the extension-host tests: the extension's API and polling.
import * as vscode from 'vscode';
import type { RunStatus } from '../../../src/domain/run';
import type { TensorSnapshot } from '../../../src/domain/tensors';
import type { TrainConfig } from '../../../src/domain/config';

export const EXTENSION_ID = 'latent-lab.latent-lab';

/** What activate() returns, as the tests use it (kept structural so the suite builds without the extension). */
export interface LabApi {
  session: {
    readonly status: RunStatus | undefined;
    readonly backend: { chosen?: string; reason?: string } | undefined;
    latest(name: string, model?: string): TensorSnapshot | undefined;
    all(): TensorSnapshot[];
    onDidUpdate: vscode.Event<void>;
  };
  waitForStep?(step: number, timeoutMs: number): Promise<number>;
  /** The configuration of the live run, if the extension exposes it. */
  runConfig?(): TrainConfig | undefined;
  /** The settings the live model applies, read from the model in the worker. */
  appliedSettings?(): Promise<Record<string, number | string> | undefined>;
}

export function extension(): vscode.Extension<LabApi> {
  const ext = vscode.extensions.getExtension<LabApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return ext;
}

export async function api(): Promise<LabApi> {
  const ext = extension();
  const exported = ext.isActive ? ext.exports : await ext.activate();
  if (!exported?.session) throw new Error('activate() returned no session API');
  return exported;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll until `probe` returns something truthy; fail with `describe()` of the last state after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | null, timeoutMs: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(200);
  }
}

export function describeStatus(lab: LabApi): string {
  const s = lab.session.status;
  const b = lab.session.backend;
  return s ? `state=${s.state} step=${s.step} loss=${s.loss} backend=${s.backend ?? b?.chosen ?? '?'} ${s.message ?? ''}` : 'no run status yet';
}

/** The time the first training step may take: the backend probe trains on every backend first; 2 shared cores. */
export const FIRST_STEP_TIMEOUT_MS = 150_000;

/** Polls the worker until the live model applies `expected` (every key with its value); returns what it applies. */
export async function waitForApplied(lab: LabApi, expected: Record<string, number | string>, timeoutMs: number): Promise<Record<string, number | string>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, number | string> | undefined;
  for (;;) {
    last = await lab.appliedSettings?.();
    if (last && Object.entries(expected).every(([k, v]) => (typeof v === 'number' ? Math.abs(Number(last![k]) - v) <= 1e-9 * Math.abs(v) : last![k] === v)))
      return last;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms: the model applies ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
    await sleep(300);
  }
}
