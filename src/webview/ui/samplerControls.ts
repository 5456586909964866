// Sampler controls above the reverse process: DDPM or DDIM, DDIM's step count and eta as sliders. Moving one
// samples again at once, so the learner sees what fewer steps or more noise do to the same model.
import type { DiffusionConfig, SamplerKind } from '../../domain/config';
import { t } from '../i18n';
import { h } from './dom';

export interface SampleRequest {
  sampler: SamplerKind;
  steps: number;
  eta: number;
  useEma: boolean;
}

export class SamplerControls {
  readonly el: HTMLElement;
  private readonly sampler = h(
    'select',
    { 'data-testid': 'sampler', 'aria-label': t('Sampler') },
    h('option', { value: 'ddim' }, 'DDIM'),
    h('option', { value: 'ddpm' }, t('DDPM (ancestral)')),
  );
  private readonly steps = h('input', { type: 'range', min: '1', max: '1000', step: '1', 'data-testid': 'ddim-steps', 'aria-label': t('DDIM steps') });
  private readonly eta = h('input', { type: 'range', min: '0', max: '1', step: '0.1', 'data-testid': 'ddim-eta', 'aria-label': 'η' });
  private readonly ema = h('input', { type: 'checkbox', checked: '', 'data-testid': 'sample-ema' });
  private readonly stepsLabel = h('span', { class: 'num' });
  private readonly etaLabel = h('span', { class: 'num' });
  private T = 1000;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onSample: (r: SampleRequest) => void) {
    this.el = h(
      'div',
      { class: 'lab-sampler', 'data-testid': 'sampler-controls' },
      this.sampler,
      h('label', { class: 'lab-slider' }, t('DDIM steps'), this.steps, this.stepsLabel),
      h('label', { class: 'lab-slider' }, 'η', this.eta, this.etaLabel),
      h(
        'label',
        { class: 'lab-slider', title: t('The moving average of the weights samples steadily; the raw weights jump from step to step.') },
        this.ema,
        t('EMA weights'),
      ),
    );
    for (const el of [this.sampler, this.steps, this.eta, this.ema]) el.addEventListener('input', () => this.changed());
  }

  show(cfg: DiffusionConfig): void {
    this.T = cfg.timesteps;
    this.steps.max = String(cfg.timesteps);
    this.sampler.value = cfg.sampler;
    this.steps.value = String(Math.min(cfg.samplerSteps, cfg.timesteps));
    this.eta.value = String(cfg.eta);
    this.render();
  }

  private request(): SampleRequest {
    const sampler = this.sampler.value as SamplerKind;
    return { sampler, steps: sampler === 'ddpm' ? this.T : Number(this.steps.value), eta: Number(this.eta.value), useEma: this.ema.checked };
  }

  private render(): void {
    const ddim = this.sampler.value === 'ddim';
    this.steps.disabled = !ddim;
    this.eta.disabled = !ddim;
    this.stepsLabel.textContent = ddim ? this.steps.value : String(this.T);
    this.etaLabel.textContent = Number(this.eta.value).toFixed(1);
  }

  private changed(): void {
    this.render();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onSample(this.request()), 250);
  }
}
