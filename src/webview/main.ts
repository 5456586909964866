// The Lab view's UI thread: builds the page, starts the training worker, and routes messages between the
// extension and the worker. It only draws; all training happens in the worker.
import type { AssetUrls } from '../domain/assets';
import type { FromWorker, ToWebview } from '../protocol';
import type { RunStatus } from '../domain/run';
import type { TrainConfig } from '../domain/config';
import { Header } from './ui/header';
import { Sections } from './ui/sections';
import { SettingsPanel } from './ui/settingsPanel';
import { Welcome } from './ui/welcome';
import { h } from './ui/dom';
import { postToExtension } from './vscodeApi';
import { localAssets, workerScriptUrl } from './assetLoader';
import { WorkerClient } from './workerClient';
import { lang, t } from './i18n';

const body = document.body;
const assets = JSON.parse(body.dataset.assets ?? '{}') as AssetUrls;
const app = document.getElementById('app')!;

let worker: WorkerClient | null = null;
let config: TrainConfig | null = null;
let status: RunStatus | null = null;
let decodeRequest = 0;

const TRAIN_COMMAND = { ae: 'trainAe', vae: 'trainVae', ddpm: 'trainDdpm', ldm: 'trainLdm' } as const;

const header = new Header({
  togglePause: () => control(status?.state === 'training' || status?.state === 'loading' ? 'pause' : 'resume'),
  stepOnce: () => control('step'),
  reset: () => control('reset'),
  sample: () => worker?.post({ type: 'sample' }),
  openNotes: () => postToExtension({ type: 'runCommand', command: 'openNotes' }),
  switchModel: (model) => postToExtension({ type: 'runCommand', command: TRAIN_COMMAND[model] }),
});
const settings = new SettingsPanel((next) => postToExtension({ type: 'configChanged', config: next }));
const sections = new Sections({
  decode: (z) => worker?.post({ type: 'decode', z, requestId: ++decodeRequest }),
  scrub: (t) => worker?.post({ type: 'scrub', t }),
  revealEquation: (tensor) => postToExtension({ type: 'revealEquation', tensor }),
  sample: (r) => {
    // Sample now, and keep the choice as the run's sampler settings so later pictures use it too.
    worker?.post({ type: 'sample', ...r });
    if (config) postToExtension({ type: 'configChanged', config: { ...config, diffusion: { ...config.diffusion, sampler: r.sampler, samplerSteps: r.sampler === 'ddim' ? r.steps : config.diffusion.samplerSteps, eta: r.eta } } });
  },
  trainOnDrawing: (points) => config && postToExtension({ type: 'configChanged', config: { ...config, diffusion: { ...config.diffusion, dataset: 'drawn', drawnPoints: points } } }),
});
const welcome = new Welcome((command) => postToExtension({ type: 'runCommand', command }));
const settingsBox = h('details', { class: 'lab-settings-box' }, h('summary', {}, t('Settings')), settings.el);
// The select elements read their option labels when they render: build them once the box is open.
settingsBox.addEventListener('toggle', () => settingsBox.open && settings.refresh());
const lab = h('div', { class: 'lab', hidden: '' }, header.el, settingsBox, sections.el);
app.append(welcome.el, lab);

function control(action: 'pause' | 'resume' | 'step' | 'reset'): void {
  worker?.post({ type: 'control', action });
}

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
    client.post({ type: 'start', runId: m.runId, config: m.config, checkpoint: m.checkpoint, base: m.base, assets: local, startPaused: m.startPaused, lang: lang() });
  } catch (e) {
    header.showNotice(t('Could not load the bundled files: {0}', (e as Error).message), 'error');
    postToExtension({ type: 'log', level: 'error', message: `assets: ${(e as Error).message}` });
  }
}

function onWorker(m: FromWorker): void {
  switch (m.type) {
    case 'status':
      status = m.status;
      header.update(m.status);
      postToExtension({ type: 'status', runId: m.runId, status: m.status });
      break;
    case 'backend':
      header.showBackend(m.report);
      postToExtension({ type: 'backend', report: m.report });
      break;
    case 'snapshots':
      postToExtension({ type: 'snapshots', runId: m.runId, snapshots: m.snapshots });
      break;
    case 'checkpoint':
      postToExtension({ type: 'checkpoint', runId: m.runId, checkpoint: m.checkpoint });
      return;
    case 'error':
      header.showNotice(m.message, m.recoverable ? 'info' : 'error');
      postToExtension({ type: 'log', level: m.recoverable ? 'warn' : 'error', message: m.message });
      return;
  }
  sections.onWorker(m);
}

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  switch (m.type) {
    case 'train':
      config = m.config;
      header.showNotice(undefined);
      welcome.el.hidden = true;
      lab.hidden = false;
      sections.showModel(m.config.model);
      sections.showConfig(m.config);
      settings.show(m.config);
      header.showSample(m.config.model !== 'ae' && m.config.model !== 'vae');
      void startTraining(m);
      break;
    case 'control':
      if (m.action === 'toggle') control(status?.state === 'training' ? 'pause' : 'resume');
      else control(m.action);
      if (m.action === 'reset') header.showNotice(undefined);
      break;
    case 'configure':
      config = m.config;
      settings.show(m.config);
      sections.showConfig(m.config);
      worker?.post({ type: 'configure', config: m.config });
      break;
    case 'sample':
      worker?.post({ type: 'sample' });
      break;
    case 'highlight':
      sections.highlight(m.tensor);
      break;
    case 'requestCheckpoint':
      worker?.post({ type: 'checkpoint' });
      break;
    case 'simulateBackendLoss':
      worker?.post(m);
      break;
  }
});

window.addEventListener('error', (e) => postToExtension({ type: 'log', level: 'error', message: `webview: ${e.message}` }));
postToExtension({ type: 'ready' });
