// Hyperparameter controls. A change is sent to the extension, which writes the setting; the new
// configuration then comes back as 'configure' (or a restart when the model must be rebuilt).
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import type { TrainConfig } from '../../domain/config';
import { h } from './dom';
import { t } from '../i18n';

interface Field {
  id: string;
  label: string;
  options: [string, string][];
  read(c: TrainConfig): string;
  write(c: TrainConfig, v: string): TrainConfig;
  models: TrainConfig['model'][];
  hint?: string;
}

const ae = (c: TrainConfig, patch: Partial<TrainConfig['autoencoder']>): TrainConfig => ({ ...c, autoencoder: { ...c.autoencoder, ...patch } });
const df = (c: TrainConfig, patch: Partial<TrainConfig['diffusion']>): TrainConfig => ({ ...c, diffusion: { ...c.diffusion, ...patch } });
const opts = (values: (string | number)[]): [string, string][] => values.map((v) => [String(v), String(v)]);

const FIELDS: Field[] = [
  { id: 'dataset', label: t('Dataset'), models: ['ae', 'vae', 'ldm'], options: [['mnist', t('MNIST digits')], ['fashion-mnist', 'Fashion-MNIST'], ['digits-8x8', t('8x8 digits')]], read: (c) => c.autoencoder.dataset, write: (c, v) => ae(c, { dataset: v as TrainConfig['autoencoder']['dataset'] }) },
  { id: 'latent', label: t('Latent size'), models: ['ae', 'vae', 'ldm'], options: opts([1, 2, 4, 8, 16, 32]), read: (c) => String(c.autoencoder.latentDim), write: (c, v) => ae(c, { latentDim: Number(v) }), hint: t('Above 2 the latent map shows a PCA projection.') },
  { id: 'beta', label: t('β (KL weight)'), models: ['vae', 'ldm'], options: opts([0, 0.1, 0.5, 1, 2, 4, 10]), read: (c) => String(c.autoencoder.beta), write: (c, v) => ae(c, { beta: Number(v) }) },
  { id: 'lr', label: t('Learning rate'), models: ['ae', 'vae', 'ldm'], options: opts(['0.0001', '0.0003', '0.001', '0.003', '0.01', '0.1']), read: (c) => String(c.autoencoder.learningRate), write: (c, v) => df(ae(c, { learningRate: Number(v) }), { learningRate: Number(v) }) },
  { id: 'batch', label: t('Batch size'), models: ['ae', 'vae', 'ldm'], options: opts([16, 32, 64, 128, 256, 512]), read: (c) => String(c.autoencoder.batchSize), write: (c, v) => ae(c, { batchSize: Number(v) }) },
  { id: 'ddata', label: t('Data'), models: ['ddpm'], options: [['swiss-roll', t('Swiss roll')], ['two-moons', t('Two moons')], ['eight-gaussians', t('8 Gaussians')], ['rings', t('Rings')], ['mnist', 'MNIST (U-Net)'], ['fashion-mnist', 'Fashion-MNIST (U-Net)'], ['digits-8x8', t('8x8 digits (U-Net, fast)')]], read: (c) => c.diffusion.dataset, write: (c, v) => df(c, { dataset: v as TrainConfig['diffusion']['dataset'] }) },
  { id: 'schedule', label: t('Schedule'), models: ['ddpm', 'ldm'], options: [['linear', t('Linear β')], ['cosine', t('Cosine')]], read: (c) => c.diffusion.schedule, write: (c, v) => df(c, { schedule: v as TrainConfig['diffusion']['schedule'] }) },
  { id: 'T', label: t('Steps T'), models: ['ddpm', 'ldm'], options: opts([100, 250, 500, 1000, 2000]), read: (c) => String(c.diffusion.timesteps), write: (c, v) => df(c, { timesteps: Number(v) }) },
  { id: 'sampler', label: t('Sampler'), models: ['ddpm', 'ldm'], options: [['ddim', 'DDIM'], ['ddpm', t('DDPM (ancestral)')]], read: (c) => c.diffusion.sampler, write: (c, v) => df(c, { sampler: v as TrainConfig['diffusion']['sampler'] }) },
  { id: 'dsteps', label: t('DDIM steps'), models: ['ddpm', 'ldm'], options: opts([5, 10, 20, 50, 100, 250, 1000]), read: (c) => String(c.diffusion.samplerSteps), write: (c, v) => df(c, { samplerSteps: Number(v) }) },
  { id: 'eta', label: t('DDIM η'), models: ['ddpm', 'ldm'], options: opts([0, 0.5, 1]), read: (c) => String(c.diffusion.eta), write: (c, v) => df(c, { eta: Number(v) }) },
  { id: 'dlr', label: t('Learning rate'), models: ['ddpm'], options: opts(['0.0001', '0.0003', '0.001', '0.003', '0.01']), read: (c) => String(c.diffusion.learningRate), write: (c, v) => df(ae(c, { learningRate: Number(v) }), { learningRate: Number(v) }) },
  { id: 'backend', label: t('Backend'), models: ['ae', 'vae', 'ddpm', 'ldm'], options: [['auto', t('Auto (fastest measured)')], ['webgpu', 'WebGPU'], ['webgl', 'WebGL'], ['wasm', 'WASM'], ['cpu', t('CPU (plain JS)')]], read: (c) => c.backend, write: (c, v) => ({ ...c, backend: v as TrainConfig['backend'] }) },
];

export class SettingsPanel {
  readonly el = h('div', { class: 'lab-settings', 'data-testid': 'settings' });
  private config: TrainConfig | null = null;

  constructor(private readonly onChange: (next: TrainConfig) => void) {}

  show(config: TrainConfig): void {
    const rebuild = !this.config || this.config.model !== config.model;
    this.config = config;
    if (rebuild) this.render();
    for (const f of FIELDS) {
      const select = this.el.querySelector<HTMLElement & { value: string }>(`[data-field="${f.id}"]`);
      if (select && select.value !== f.read(config)) select.value = f.read(config);
    }
  }

  /** Rebuilds the controls (they must be built while visible to pick up their option labels). */
  refresh(): void {
    if (this.config) this.render();
  }

  private render(): void {
    const config = this.config!;
    const fields = FIELDS.filter((f) => f.models.includes(config.model));
    this.el.replaceChildren(
      ...fields.map((f) => {
        const current = f.read(config);
        const options = f.options.some(([v]) => v === current) ? f.options : [[current, current] as [string, string], ...f.options];
        const select = h('vscode-single-select', { 'data-field': f.id, id: `field-${f.id}`, 'aria-label': f.label }, ...options.map(([v, label]) => h('vscode-option', { value: v, ...(v === current ? { selected: '' } : {}) }, label)));
        select.addEventListener('change', () => {
          if (!this.config) return;
          const value = (select as HTMLElement & { value: string }).value;
          if (value === f.read(this.config)) return;
          this.config = f.write(this.config, value);
          this.onChange(this.config);
        });
        return h('div', { class: 'lab-field', title: f.hint ?? '' }, h('vscode-label', { for: `field-${f.id}` }, f.label), select);
      }),
    );
  }
}
