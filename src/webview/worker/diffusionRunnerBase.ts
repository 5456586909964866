// What every diffusion runner does the same way: keep the latest reverse process, redraw it as often as its
// cost allows, and answer "Sample" with a fresh one.
import type { DiffusionConfig, SamplerKind, TrainConfig } from '../../domain/config';
import type { DiffusionView } from '../../domain/views';
import type { FromWorker } from '../../protocol';
import { reverseSteps, shouldRedrawReverse } from './diffusionViews';

export type ReverseOptions = { sampler?: SamplerKind; steps?: number; eta?: number; useEma?: boolean };

export abstract class DiffusionRunnerBase {
  private reverse: DiffusionView['reverse'] | null = null;
  private updates = 0;
  /** Sample with the moving average of the weights (steady) or the raw weights (they jump between steps). */
  protected useEma = true;

  /** @param redrawEvery how many picture updates a cheap reverse process is kept before it is sampled again. */
  protected constructor(
    protected cfg: DiffusionConfig,
    private readonly redrawEvery = 1,
  ) {}

  protected abstract get T(): number;
  /** False while there is nothing to draw yet (latent diffusion's VAE phase). */
  protected get ready(): boolean {
    return true;
  }
  protected abstract runReverse(opts: ReverseOptions): Promise<DiffusionView['reverse']>;
  protected abstract view(step: number, reverse: DiffusionView['reverse'] | null): Promise<DiffusionView>;

  async visuals(step: number): Promise<FromWorker[]> {
    if (!this.ready) return [];
    if (!this.reverse || shouldRedrawReverse(this.cfg, this.T, this.updates, this.redrawEvery)) this.reverse = await this.runReverse({});
    this.updates++;
    return [{ type: 'diffusion', view: await this.view(step, this.reverse) }];
  }

  async sample(opts: ReverseOptions, step: number): Promise<FromWorker[]> {
    if (opts.useEma !== undefined) this.useEma = opts.useEma;
    if (!this.ready) return [];
    this.reverse = await this.runReverse(opts);
    return [{ type: 'diffusion', view: await this.view(step, this.reverse) }];
  }

  /**
   * Takes the live diffusion settings: the sampler's apply to the next reverse process (drawn afresh), and the
   * learning rate and batch size are returned for the subclass to give its model.
   */
  protected applySettings(config: TrainConfig): DiffusionConfig {
    const d = config.diffusion;
    this.cfg = { ...this.cfg, sampler: d.sampler, samplerSteps: d.samplerSteps, eta: d.eta, learningRate: d.learningRate, batchSize: d.batchSize };
    this.reverse = null;
    return this.cfg;
  }

  /** What the next reverse process samples with: the sampler, its DDIM steps (at most T) and η. */
  protected samplingApplied(): Record<string, number | string> {
    return {
      'diffusion.sampler': this.cfg.sampler,
      'diffusion.samplerSteps': reverseSteps(this.cfg, this.T, { sampler: 'ddim' }).steps,
      'diffusion.eta': this.cfg.eta,
    };
  }

  protected emptyReverse(): DiffusionView['reverse'] {
    return { ts: [], points: [], sampler: this.cfg.sampler, steps: this.cfg.samplerSteps };
  }
}
