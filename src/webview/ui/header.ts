// The top of the lab: model, run state, step, loss, speed, the backend and why, and the run buttons.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { MODEL_KIND_LIST, MODEL_KINDS, MODEL_LABELS } from '../../domain/modelKinds';
import type { BackendReport, RunStatus } from '../../domain/run';
import type { ModelKind } from '../../domain/config';
import { h } from './dom';
import { t, tc } from '../i18n';

export interface HeaderActions {
  togglePause(): void;
  stepOnce(): void;
  reset(): void;
  sample(): void;
  openNotes(): void;
  switchModel(model: ModelKind): void;
  measureBackends(): void;
}

export class Header {
  readonly el: HTMLElement;
  private readonly title = h('span', { class: 'lab-title', 'data-testid': 'model' });
  private readonly models = h('div', { class: 'lab-models', role: 'group', 'data-testid': 'model-switch', 'aria-label': t('Model') });
  private readonly state = h('span', { class: 'lab-state', 'data-testid': 'state', role: 'status' });
  private readonly step = h('span', { class: 'num', 'data-testid': 'step' }, '0');
  private readonly epoch = h('span', { class: 'num', 'data-testid': 'epoch' }, '0');
  private readonly loss = h('span', { class: 'num', 'data-testid': 'loss' }, '–');
  private readonly speed = h('span', { class: 'num', 'data-testid': 'speed' }, '–');
  private readonly backend = h('details', { class: 'lab-backend', 'data-testid': 'backend' });
  private readonly message = h('div', { class: 'lab-message', 'data-testid': 'message', role: 'alert', hidden: '' });
  /** What went wrong and was recovered from (a backend lost, a checkpoint set aside): stays until dismissed. */
  private readonly notice = h('div', { class: 'lab-message lab-notice info', 'data-testid': 'notice', role: 'alert', hidden: '' });
  private readonly noticeText = h('span', { class: 'lab-notice-text' });
  private readonly pause: HTMLElement;
  private readonly sampleButton: HTMLElement;

  private readonly measureAgain: HTMLElement;

  constructor(actions: HeaderActions) {
    this.measureAgain = button(t('Measure again'), 'measure-backends', () => actions.measureBackends(), t('Time a training step on every backend again'), true);
    // Side by side, one click apart: an AE's point code against a VAE's distribution, pixels against latents.
    for (const m of MODEL_KIND_LIST) {
      const b = h(
        'button',
        { type: 'button', class: 'lab-model', 'data-model': m, 'aria-pressed': 'false', title: t(MODEL_LABELS[m]) },
        MODEL_KINDS[m].shortLabel,
      );
      b.addEventListener('click', () => b.getAttribute('aria-pressed') !== 'true' && actions.switchModel(m));
      this.models.append(b);
    }
    this.pause = button(t('Pause'), 'pause', () => actions.togglePause(), t('Pause or resume training'));
    this.sampleButton = button(t('Sample'), 'sample', () => actions.sample(), t('Draw new samples from the model'));
    this.backend.append(h('summary', {}, t('Backend: choosing…')));
    this.el = h(
      'header',
      { class: 'lab-header' },
      h('div', { class: 'lab-titlebar' }, this.title, this.state),
      this.models,
      h(
        'dl',
        { class: 'lab-metrics' },
        metric(t('Step'), this.step),
        metric(t('Epoch'), this.epoch),
        metric(t('Loss'), this.loss),
        metric(t('Samples/s'), this.speed),
      ),
      h(
        'div',
        { class: 'lab-buttons' },
        this.pause,
        button(tc('button', 'Step'), 'step-once', () => actions.stepOnce(), t('Run one training step'), true),
        button(t('Reset'), 'reset', () => actions.reset(), t('Start again from fresh weights'), true),
        this.sampleButton,
        button(t('Notes'), 'open-notes', () => actions.openNotes(), t('Open the annotated notes of this model'), true),
      ),
      this.backend,
      this.message,
      this.notice,
    );
    const dismiss = h(
      'button',
      { type: 'button', class: 'lab-notice-dismiss', 'data-testid': 'dismiss-notice', title: t('Dismiss'), 'aria-label': t('Dismiss') },
      '×',
    );
    dismiss.addEventListener('click', () => this.showNotice(undefined));
    this.notice.append(this.noticeText, dismiss);
  }

  update(s: RunStatus): void {
    this.title.textContent = t(MODEL_LABELS[s.model]);
    for (const b of this.models.children) b.setAttribute('aria-pressed', String((b as HTMLElement).dataset.model === s.model));
    this.state.textContent = stateLabel(s.state);
    this.state.className = `lab-state state-${s.state}`;
    this.step.textContent = String(s.step);
    this.epoch.textContent = String(s.epoch);
    this.loss.textContent = s.loss === null ? '–' : formatLoss(s.loss);
    this.speed.textContent = s.samplesPerSec === null ? '–' : Math.round(s.samplesPerSec).toLocaleString('en-US');
    this.pause.textContent = s.state === 'training' || s.state === 'loading' ? t('Pause') : t('Resume');
    this.showMessage(s.message, s.state === 'error' ? 'error' : 'info');
  }

  private showMessage(text: string | undefined, kind: 'info' | 'error'): void {
    this.message.hidden = !text;
    this.message.textContent = text ?? '';
    this.message.className = `lab-message ${kind}`;
  }

  /** A notice that outlives the status updates (which replace the message several times a second). */
  showNotice(text: string | undefined, kind: 'info' | 'error' = 'info'): void {
    this.notice.hidden = !text;
    this.noticeText.textContent = text ?? '';
    this.notice.className = `lab-message lab-notice ${kind}`;
  }

  showBackend(r: BackendReport): void {
    this.backend.replaceChildren(
      h('summary', {}, h('span', { class: 'lab-backend-name' }, r.chosen.toUpperCase()), ` — ${r.reason}`),
      h(
        'table',
        { class: 'lab-probes' },
        h('tr', {}, h('th', {}, t('Backend')), h('th', {}, tc('time per step', 'Step')), h('th', {}, t('Note'))),
        ...r.probes.map((p) =>
          h(
            'tr',
            { class: p.name === r.chosen ? 'chosen' : '' },
            h('td', {}, p.name),
            h(
              'td',
              p.measuredAt === undefined ? {} : { title: t('measured {0}', new Date(p.measuredAt).toLocaleString()) },
              p.stepMs !== undefined ? t('{0} ms', p.stepMs.toFixed(1)) : '–',
            ),
            h('td', {}, p.name === r.chosen ? t('in use') : (p.detail ?? (p.ok ? t('slower') : t('failed')))),
          ),
        ),
      ),
      this.measureAgain,
    );
  }

  showSample(visible: boolean): void {
    this.sampleButton.hidden = !visible;
  }
}

/** A run state as shown: in English the state's own word ('training', 'paused'…), which tests read too. */
function stateLabel(state: RunStatus['state']): string {
  const labels: Record<RunStatus['state'], string> = {
    idle: t('idle'),
    loading: t('loading'),
    training: t('training'),
    paused: t('paused'),
    hidden: t('paused (view hidden)'),
    error: t('error'),
  };
  return labels[state];
}

function metric(label: string, value: HTMLElement): HTMLElement {
  return h('div', { class: 'lab-metric' }, h('dt', {}, label), h('dd', {}, value));
}

function button(label: string, testId: string, onClick: () => void, title: string, secondary = false): HTMLElement {
  const b = h('vscode-button', { 'data-testid': testId, title, ...(secondary ? { secondary: '' } : {}) }, label);
  b.addEventListener('click', onClick);
  return b;
}

export function formatLoss(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3);
}
