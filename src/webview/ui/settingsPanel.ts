// Hyperparameter controls: one for each setting the schema (src/domain/settings.ts) offers for the run's model,
// named by its setting key. A change is sent to the extension, which writes the setting; the new configuration
// then comes back as 'configure' (or a restart when the model must be rebuilt).
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import type { ModelKind, TrainConfig } from '../../domain/config';
import { accept, RUN_SETTINGS, withSetting, type PanelField, type RunSetting } from '../../domain/settings';
import { h } from './dom';
import { settingText, t } from '../i18n';

type Field = RunSetting & { panel: PanelField };

/** The fields a model's panel shows, in the schema's order, those marked `last` at the end. */
function fieldsOf(model: ModelKind): Field[] {
  const shown = RUN_SETTINGS.filter((s): s is Field => s.panel?.models.includes(model) ?? false);
  return [...shown.filter((s) => !s.panel.last), ...shown.filter((s) => s.panel.last)];
}

const valueOf = (f: Field, c: TrainConfig): string => String(f.read(c));

function labelOf(f: Field, model: ModelKind): string {
  return settingText(f.panel.labelFor?.[model] ?? f.panel.label);
}

function tooltipOf(f: Field): string {
  const effect = f.effect === 'rebuild' ? t('Changing this starts training again on a fresh model.') : t('Applies to the running model at once.');
  return f.panel.hint ? `${settingText(f.panel.hint)} ${effect}` : effect;
}

export class SettingsPanel {
  readonly el = h('div', { class: 'lab-settings', 'data-testid': 'settings' });
  private config: TrainConfig | null = null;

  constructor(private readonly onChange: (next: TrainConfig) => void) {}

  show(config: TrainConfig): void {
    const rebuild = !this.config || this.config.model !== config.model;
    this.config = config;
    if (rebuild) this.render();
    for (const f of fieldsOf(config.model)) {
      const select = this.el.querySelector<HTMLElement & { value: string }>(`[data-field="${f.key}"]`);
      if (select && select.value !== valueOf(f, config)) select.value = valueOf(f, config);
    }
  }

  /** Rebuilds the controls (they must be built while visible to pick up their option labels). */
  refresh(): void {
    if (this.config) this.render();
  }

  private render(): void {
    const config = this.config!;
    this.el.replaceChildren(
      ...fieldsOf(config.model).map((f) => {
        const current = valueOf(f, config);
        const options = f.panel.options.some((o) => o.value === current) ? f.panel.options : [{ value: current }, ...f.panel.options];
        const label = labelOf(f, config.model);
        const select = h(
          'vscode-single-select',
          { 'data-field': f.key, id: `field-${f.key}`, 'aria-label': label },
          ...options.map((o) =>
            h('vscode-option', { value: o.value, ...(o.value === current ? { selected: '' } : {}) }, o.label ? settingText(o.label) : o.value),
          ),
        );
        select.addEventListener('change', () => {
          if (!this.config) return;
          const raw = (select as HTMLElement & { value: string }).value;
          const value = accept(f, f.type === 'choice' ? raw : Number(raw));
          if (value === undefined || value === f.read(this.config)) return;
          this.config = withSetting(this.config, f, value);
          this.onChange(this.config);
        });
        return h('div', { class: 'lab-field', title: tooltipOf(f) }, h('vscode-label', { for: `field-${f.key}` }, label), select);
      }),
    );
  }
}
