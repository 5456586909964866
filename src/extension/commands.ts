// The commands of the palette and the view's title bar.
import * as vscode from 'vscode';
import { MODEL_KIND_LIST, MODEL_KINDS } from '../domain/modelKinds';
import type { LabController } from './labController';
import type { LabViewProvider } from './labView';
import { exportModel, importModel } from './modelFiles';

export function registerCommands(controller: LabController, view: LabViewProvider): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  return [
    ...MODEL_KIND_LIST.map((m) => reg(MODEL_KINDS[m].command, () => controller.train(m))),
    reg('latentLab.sample', () => controller.sample()),
    reg('latentLab.togglePause', () => controller.togglePause()),
    reg('latentLab.step', () => controller.step()),
    reg('latentLab.reset', () => controller.reset()),
    reg('latentLab.showLab', () => view.reveal(false)),
    reg('latentLab.measureBackends', () => controller.measureBackends()),
    reg('latentLab.exportModel', (uri?: unknown) => exportModel(controller, uri instanceof vscode.Uri ? uri : undefined)),
    reg('latentLab.importModel', (uri?: unknown) => importModel(controller, uri instanceof vscode.Uri ? uri : undefined)),
    reg('latentLab.revealTensor', (arg: unknown) => {
      const tensor = typeof arg === 'string' ? arg : (arg as { tensor?: string } | undefined)?.tensor;
      return tensor ? controller.highlight(tensor) : view.reveal(false);
    }),
  ];
}
