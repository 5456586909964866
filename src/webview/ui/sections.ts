// The lab's diagram sections of the running model (src/domain/modelKinds.ts lists them), each a collapsible
// panel holding one d3 view.
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import type { DiffusionView, Gallery, LatentView } from '../../domain/views';
import type { FromWorker } from '../../protocol';
import type { ModelKind, TrainConfig } from '../../domain/config';
import { MODEL_KINDS, type DiagramSection } from '../../domain/modelKinds';
import type { TensorSnapshot } from '../../domain/tensors';
import { PipelineDiagram } from '../diagrams/pipeline';
import { LossChart } from '../diagrams/lossChart';
import { LatentSpace } from '../diagrams/latentSpace';
import { GalleryView } from '../diagrams/gallery';
import { ForwardProcess } from '../diagrams/forwardProcess';
import { ReverseProcess } from '../diagrams/reverseProcess';
import { ScheduleChart } from '../diagrams/scheduleChart';
import { TimestepLoss } from '../diagrams/timestepLoss';
import { QualityChart } from '../diagrams/qualityChart';
import { DrawPanel } from './drawPanel';
import { SamplerControls, type SampleRequest } from './samplerControls';
import { h } from './dom';
import { t } from '../i18n';
import { saveUiState, uiState } from '../vscodeApi';

export interface SectionActions {
  decode(z: [number, number]): void;
  scrub(t: number): void;
  revealEquation(tensor: string): void;
  trainOnDrawing(points: [number, number][]): void;
  sample(request: SampleRequest): void;
}

export class Sections {
  readonly el = h('div', { class: 'lab-sections' });
  private shown: readonly DiagramSection[] = [];
  private pipeline: PipelineDiagram | null = null;
  private loss: LossChart | null = null;
  private latent: LatentSpace | null = null;
  private gallery: GalleryView | null = null;
  private forward: ForwardProcess | null = null;
  private reverse: ReverseProcess | null = null;
  private samplerControls: SamplerControls | null = null;
  private pendingHighlight: string | null = null;
  private schedule: ScheduleChart | null = null;
  private timestepLoss: TimestepLoss | null = null;
  private quality: QualityChart | null = null;
  private model: ModelKind = 'vae';
  private readonly snapshots = new Map<string, TensorSnapshot>();

  constructor(private readonly actions: SectionActions) {}

  /** Lays out the model's sections (kept when switching between models that show the same ones, e.g. AE <-> VAE). */
  showModel(model: ModelKind): void {
    const sections = MODEL_KINDS[model].sections;
    if (model !== this.model) this.snapshots.clear();
    this.model = model;
    if (sections.join() === this.shown.join()) return;
    this.disposeViews();
    this.shown = sections;
    this.el.replaceChildren();
    for (const id of sections) this.build(id);
  }

  private build(id: DiagramSection): void {
    switch (id) {
      case 'pipeline':
        this.pipeline = new PipelineDiagram(this.section(id, t('Pipeline')));
        this.pipeline.onNodeClick((t) => this.actions.revealEquation(t));
        break;
      case 'loss':
        this.loss = new LossChart(this.section(id, t('Loss')));
        break;
      case 'latent':
        this.latent = new LatentSpace(this.section(id, t('Latent space')));
        this.latent.onHover((z) => this.actions.decode(z));
        break;
      case 'gallery':
        this.gallery = new GalleryView(this.section(id, t('Reconstructions and samples')));
        break;
      case 'forward':
        this.forward = new ForwardProcess(this.section(id, t('Forward process q(xₜ | x₀)')));
        this.forward.onScrub((t) => {
          this.schedule?.setT(t);
          this.actions.scrub(t);
        });
        break;
      case 'reverse': {
        const body = this.section(id, t('Reverse process (sampling)'));
        this.samplerControls = new SamplerControls((r) => this.actions.sample(r));
        body.append(this.samplerControls.el);
        this.reverse = new ReverseProcess(body);
        break;
      }
      case 'schedule':
        this.schedule = new ScheduleChart(this.section(id, t('Noise schedule')));
        break;
      case 'timestep-loss':
        this.timestepLoss = new TimestepLoss(this.section(id, t('Loss by timestep')));
        break;
      case 'quality':
        this.quality = new QualityChart(this.section(id, t('Sample quality (sliced Wasserstein to the data, lower is better)')));
        break;
      case 'draw':
        this.section(id, t('Draw your own data'), true).append(new DrawPanel((points) => this.actions.trainOnDrawing(points)).el);
        break;
    }
  }

  /** Shows the run's settings where a section has its own controls (the sampler sliders) or marks (the loss chart's reference). */
  showConfig(config: TrainConfig): void {
    this.samplerControls?.show(config.diffusion);
    this.loss?.showConfig(config);
  }

  private section(id: DiagramSection, title: string, closedByDefault = false): HTMLElement {
    const body = h('div', { class: 'lab-section-body' });
    const state = uiState();
    const open = closedByDefault ? state.opened?.includes(id) : !state.collapsed.includes(id);
    const c = h('vscode-collapsible', { title, 'data-section': id, ...(open ? { open: '' } : {}) }, body);
    c.addEventListener('toggle', () => {
      const open = (c as HTMLElement & { open: boolean }).open;
      const collapsed = new Set(uiState().collapsed);
      const opened = new Set(uiState().opened ?? []);
      if (open) {
        collapsed.delete(id);
        opened.add(id);
      } else {
        collapsed.add(id);
        opened.delete(id);
      }
      saveUiState({ ...uiState(), collapsed: [...collapsed], opened: [...opened] });
    });
    this.el.append(c);
    return body;
  }

  onWorker(m: FromWorker): void {
    switch (m.type) {
      case 'snapshots':
        for (const s of m.snapshots) this.snapshots.set(s.name, s);
        this.pipeline?.update(this.model, this.snapshots);
        if (this.pendingHighlight && this.pipeline?.highlight(this.pendingHighlight)) this.pendingHighlight = null;
        break;
      case 'loss':
        if (m.points.length === 0) this.loss?.reset();
        else this.loss?.update(m.points);
        break;
      case 'heldOut':
        this.loss?.addHeldOut({ step: m.step, loss: m.loss, terms: m.terms });
        break;
      case 'latent':
        this.latent?.update(m.view as LatentView);
        break;
      case 'gallery':
        this.gallery?.update(m.gallery as Gallery);
        break;
      case 'decoded':
        this.latent?.showDecoded(m.image, m.imageSize);
        break;
      case 'diffusion':
        this.showDiffusion(m.view);
        break;
      case 'forwardAt':
        this.forward?.showForwardAt(m.t, m.points, m.images);
        break;
    }
  }

  private showDiffusion(view: DiffusionView): void {
    this.forward?.update(view);
    this.reverse?.update(view);
    this.schedule?.update(view);
    this.timestepLoss?.update(view);
    this.quality?.update(view);
    const section = this.el.querySelector<HTMLElement>('[data-section="quality"]');
    if (section) section.hidden = !view.quality;
  }

  highlight(tensor: string): void {
    const section = this.el.querySelector<HTMLElement & { open: boolean }>('[data-section="pipeline"]');
    if (section) section.open = true;
    // Asked before the pipeline is drawn (a view that just opened): highlight once its nodes exist.
    this.pendingHighlight = this.pipeline?.highlight(tensor) ? null : tensor;
  }

  private disposeViews(): void {
    for (const v of [this.pipeline, this.loss, this.latent, this.gallery, this.forward, this.reverse, this.schedule, this.timestepLoss, this.quality])
      v?.dispose();
    this.pipeline = this.loss = null;
    this.latent = null;
    this.gallery = null;
    this.forward = null;
    this.reverse = null;
    this.samplerControls = null;
    this.schedule = null;
    this.timestepLoss = null;
    this.quality = null;
  }
}
