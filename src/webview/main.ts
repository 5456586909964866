// The Lab view's UI thread: builds the page, starts the training worker, and routes messages between the
// extension and the worker. It only draws; all training happens in the worker, and the extension owns the run:
// the view's controls go to the extension, which answers with what to run. Worker output of a run other than the
// one started last is dropped here (checkpoints go on to the extension, which decides which to keep).
import type { AssetUrls } from '../domain/assets';
import type { BackendName, TrainConfig } from '../domain/config';
import { MODEL_KINDS } from '../domain/modelKinds';
import type { RunStatus } from '../domain/run';
import { isToWebview, type ToWebview, type ToWorker, type WorkerPost } from '../protocol';
import { Header } from './ui/header';
import { Sections } from './ui/sections';
import { SettingsPanel } from './ui/settingsPanel';
import { Welcome } from './ui/welcome';
import { h } from './ui/dom';
import { postToExtension } from './vscodeApi';
import { localAssets, workerScriptUrl } from './assetLoader';
import { WorkerClient } from './workerClient';
import { t } from './i18n';
import { noticeWords } from './noticeWords';

const body = document.body;
const assets = JSON.parse(body.dataset.assets ?? '{}') as AssetUrls;
const app = document.getElementById('app')!;

let worker: WorkerClient | null = null;
let config: TrainConfig | null = null;
/** The run started last: output of any other is from a run the extension replaced. */
let runId = -1;
let decodeRequest = 0;
/** The run being handed to the worker (its files load first): what follows for the worker waits for it. */
let handingOver: Promise<void> = Promise.resolve();

/** Posts to the worker in the order the extension asked, after the start of the run it is about. */
function toWorker(m: ToWorker): void {
  void handingOver.then(() => worker?.post(m));
}

const header = new Header({
  togglePause: () => postToExtension({ type: 'control', action: 'togglePause' }),
  stepOnce: () => postToExtension({ type: 'control', action: 'step' }),
  reset: () => postToExtension({ type: 'control', action: 'reset' }),
  sample: () => worker?.post({ type: 'sample' }),
  openNotes: () => postToExtension({ type: 'runCommand', command: 'openNotes' }),
  switchModel: (model) => postToExtension({ type: 'runCommand', command: MODEL_KINDS[model].commandName }),
  measureBackends: () => postToExtension({ type: 'runCommand', command: 'measureBackends' }),
});
const settings = new SettingsPanel((next) => postToExtension({ type: 'configChanged', config: next }));
const sections = new Sections({
  decode: (z) => worker?.post({ type: 'decode', z, requestId: ++decodeRequest }),
  scrub: (t) => worker?.post({ type: 'scrub', t }),
  revealEquation: (tensor) => postToExtension({ type: 'revealEquation', tensor }),
  sample: (r) => {
    // Sample now, and keep the choice as the run's sampler settings so later pictures use it too.
    worker?.post({ type: 'sample', ...r });
    if (config)
      postToExtension({
        type: 'configChanged',
        config: {
          ...config,
          diffusion: { ...config.diffusion, sampler: r.sampler, samplerSteps: r.sampler === 'ddim' ? r.steps : config.diffusion.samplerSteps, eta: r.eta },
        },
      });
  },
  trainOnDrawing: (points) => postToExtension({ type: 'draw', points }),
});
const welcome = new Welcome((command) => postToExtension({ type: 'runCommand', command }));
const settingsBox = h('details', { class: 'lab-settings-box' }, h('summary', {}, t('Settings')), settings.el);
// The select elements read their option labels when they render: build them once the box is open.
settingsBox.addEventListener('toggle', () => settingsBox.open && settings.refresh());
const lab = h('div', { class: 'lab', hidden: '' }, header.el, settingsBox, sections.el);
app.append(welcome.el, lab);

function ensureWorker(): WorkerClient {
  worker ??= new WorkerClient(workerScriptUrl(body.dataset.worker!), onWorker, (message) => {
    header.showNotice(t('The training worker stopped: {0}. Use Reset to start it again.', message), 'error');
    postToExtension({ type: 'log', level: 'error', message: `worker: ${message}` });
    worker?.terminate();
    worker = null;
  });
  return worker;
}

async function startTraining(m: Extract<ToWebview, { type: 'train' }>): Promise<void> {
  const client = ensureWorker();
  try {
    const local = await localAssets(assets, m.config);
    if (m.runId !== runId) return;
    client.post({
      type: 'start',
      runId: m.runId,
      config: m.config,
      checkpoint: m.checkpoint,
      base: m.base,
      assets: local,
      startPaused: m.startPaused,
      checkpointPrevious: m.checkpointPrevious ?? false,
      remembered: m.remembered,
      checkpointRef: m.checkpointRef,
    });
  } catch (e) {
    header.showNotice(t('Could not load the bundled files: {0}', (e as Error).message), 'error');
    postToExtension({ type: 'log', level: 'error', message: `assets: ${(e as Error).message}` });
  }
}

function onWorker(m: WorkerPost): void {
  if (m.type === 'checkpoint') return postToExtension({ type: 'checkpoint', runId: m.runId, checkpoint: m.checkpoint });
  if (m.runId !== runId) return;
  switch (m.type) {
    case 'status': {
      const status: RunStatus = { ...m.status, message: m.status.notice ? noticeWords(m.status.notice) : undefined };
      header.update(status);
      postToExtension({ type: 'status', runId: m.runId, status });
      break;
    }
    case 'backend':
      header.showBackend(m.report);
      postToExtension({ type: 'backend', runId: m.runId, report: m.report });
      break;
    case 'snapshots':
      postToExtension({ type: 'snapshots', runId: m.runId, snapshots: m.snapshots });
      break;
    case 'applied':
      postToExtension({ type: 'applied', requestId: m.requestId, values: m.values });
      return;
    case 'measure':
      void measureBeside(m.runId, m.config, m.backends);
      return;
    case 'checkpointMissing':
      postToExtension({ type: 'checkpointMissing', runId: m.runId });
      return;
    case 'error': {
      const message = noticeWords(m.notice);
      header.showNotice(message, m.recoverable ? 'info' : 'error');
      postToExtension({ type: 'log', level: m.recoverable ? 'warn' : 'error', message });
      return;
    }
  }
  sections.onWorker(m);
}

/**
 * Times the backends for a run in a second worker, so the training worker does not stall, and hands the result
 * to the training worker (which decides whether to move the run).
 */
async function measureBeside(forRun: number, config: TrainConfig, backends: BackendName[]): Promise<void> {
  const local = await localAssets(assets, config);
  const prober = new WorkerClient(
    workerScriptUrl(body.dataset.worker!),
    (m) => {
      if (m.type !== 'probed') return;
      prober.terminate();
      toWorker({ type: 'probed', runId: forRun, probes: m.probes });
    },
    (message) => {
      prober.terminate();
      postToExtension({ type: 'log', level: 'warn', message: `measuring the backends failed: ${message}` });
    },
  );
  prober.post({ type: 'probe', runId: forRun, config, assets: local, backends });
}

/** What the view shows the moment a run is asked for, before the worker says anything. */
function starting(m: Extract<ToWebview, { type: 'train' }>): RunStatus {
  const notice = { code: 'loading' } as const;
  return {
    model: m.config.model,
    state: 'loading',
    step: m.checkpoint?.step ?? m.checkpointRef?.step ?? 0,
    epoch: 0,
    loss: null,
    samplesPerSec: null,
    backend: null,
    notice,
    message: noticeWords(notice),
  };
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const m = e.data;
  if (!isToWebview(m)) return;
  switch (m.type) {
    case 'train':
      runId = m.runId;
      config = m.config;
      header.showNotice(undefined);
      header.update(starting(m));
      welcome.el.hidden = true;
      lab.hidden = false;
      sections.showModel(m.config.model);
      sections.showConfig(m.config);
      settings.show(m.config);
      header.showSample(MODEL_KINDS[m.config.model].samplesOnDemand);
      handingOver = startTraining(m);
      break;
    case 'control':
      toWorker({ type: 'control', action: m.action });
      break;
    case 'configure':
      config = m.config;
      settings.show(m.config);
      sections.showConfig(m.config);
      toWorker({ type: 'configure', config: m.config });
      break;
    case 'sample':
      toWorker({ type: 'sample' });
      break;
    case 'highlight':
      sections.highlight(m.tensor);
      break;
    case 'requestCheckpoint':
      toWorker({ type: 'checkpoint' });
      break;
    case 'inspect':
      toWorker({ type: 'inspect', requestId: m.requestId });
      break;
    case 'measureBackends':
      toWorker({ type: 'measureBackends' });
      break;
    case 'simulateBackendLoss':
      toWorker(m);
      break;
  }
});

window.addEventListener('error', (e) => postToExtension({ type: 'log', level: 'error', message: `webview: ${e.message}` }));
postToExtension({ type: 'ready' });
