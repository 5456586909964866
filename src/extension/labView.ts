// The Lab view (WebviewViewProvider): creates the webview with its CSP and resources, and passes messages
// between it and the controller. The view can be hidden, moved or closed at any time; the controller
// decides what runs, this class only reports what happened to the view.
import * as vscode from 'vscode';
import { fromWebviewProblem, type FromWebview, type ToWebview } from '../protocol';
import { labHtml } from './webviewHtml';

export const LAB_VIEW_ID = 'latentLab.lab';

export interface LabViewEvents {
  onMessage(msg: FromWebview): void;
  onVisibility(visible: boolean): void;
  onDisposed(): void;
  /** A message that failed the checks on arrival (the webview is not trusted): dropped, with the reason. */
  onRefused(problem: string): void;
}

export class LabViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private queue: ToWebview[] = [];
  private readonly shown = new vscode.EventEmitter<void>();

  constructor(
    private readonly root: vscode.Uri,
    private readonly events: LabViewEvents,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.root, 'dist'), vscode.Uri.joinPath(this.root, 'media')],
    };
    view.webview.html = labHtml(view.webview, this.root);
    view.webview.onDidReceiveMessage((data: unknown) => {
      const problem = fromWebviewProblem(data);
      if (problem) return this.events.onRefused(problem);
      const raw = data as FromWebview;
      if (raw.type === 'ready') {
        this.ready = true;
        const pending = this.queue;
        this.queue = [];
        this.events.onMessage(raw);
        for (const m of pending) void view.webview.postMessage(m);
        return;
      }
      this.events.onMessage(raw);
    });
    view.onDidChangeVisibility(() => {
      this.events.onVisibility(view.visible);
      if (view.visible) this.shown.fire();
    });
    view.onDidDispose(() => {
      if (this.view === view) {
        this.view = undefined;
        this.ready = false;
        this.events.onDisposed();
      }
    });
  }

  get isLive(): boolean {
    return !!this.view && this.ready;
  }

  get isVisible(): boolean {
    return !!this.view?.visible;
  }

  /** Posts now if the webview is live; otherwise keeps highlights for when it is and drops the rest (state is resent on 'ready'). */
  post(msg: ToWebview): void {
    if (this.view && this.ready) void this.view.webview.postMessage(msg);
    else if (msg.type === 'highlight') this.queue = [msg];
  }

  /** Resolves once the view is visible (or after `timeoutMs`). */
  whenVisible(timeoutMs: number): Promise<void> {
    if (this.view?.visible) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const sub = this.shown.event(done);
    });
  }

  async reveal(preserveFocus = true): Promise<void> {
    if (this.view) this.view.show(preserveFocus);
    else await vscode.commands.executeCommand(`${LAB_VIEW_ID}.focus`);
  }
}
