// What the view shows before anything trains: what the lab is and how to start.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { MODEL_KINDS, type TrainCommandName } from '../../domain/modelKinds';
import { h } from './dom';
import { t } from '../i18n';

type StartCommand = TrainCommandName | 'openNotes';

export class Welcome {
  readonly el: HTMLElement;

  constructor(run: (command: StartCommand) => void) {
    const start = (label: string, command: StartCommand, secondary = false) => {
      const b = h('vscode-button', { 'data-testid': `welcome-${command}`, ...(secondary ? { secondary: '' } : {}) }, label);
      b.addEventListener('click', () => run(command));
      return b;
    };
    this.el = h(
      'section',
      { class: 'lab-welcome', 'data-testid': 'welcome' },
      h('h2', {}, 'Latent Lab'),
      h(
        'p',
        {},
        t(
          'Train an autoencoder, a VAE or a diffusion model right here, and watch every tensor while it learns. Open the notes and hover an equation to see the live tensor behind each symbol.',
        ),
      ),
      h(
        'div',
        { class: 'lab-welcome-buttons' },
        start(t('Train VAE'), MODEL_KINDS.vae.commandName),
        start(t('Train Autoencoder'), MODEL_KINDS.ae.commandName, true),
        start(t('Train DDPM'), MODEL_KINDS.ddpm.commandName, true),
        start(t('Train Latent Diffusion'), MODEL_KINDS.ldm.commandName, true),
      ),
      h('p', {}, start(t('Open the notes'), 'openNotes', true)),
      h('p', { class: 'lab-hint' }, t('Everything runs offline on bundled data (MNIST, Fashion-MNIST, 8x8 digits and 2D toy sets).')),
    );
  }
}
