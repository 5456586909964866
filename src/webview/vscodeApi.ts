// The webview's handle on the extension: typed posting and persisted UI state. No `vscode` import here.
import type { FromWebview } from '../protocol';

interface WebviewApi<S> {
  postMessage(msg: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): WebviewApi<S>;

export interface UiState {
  collapsed: string[];
  /** Sections closed by default that the user opened. */
  opened?: string[];
}

const api: WebviewApi<UiState> = acquireVsCodeApi<UiState>();

export function postToExtension(msg: FromWebview): void {
  api.postMessage(msg);
}

export function uiState(): UiState {
  return api.getState() ?? { collapsed: [] };
}

export function saveUiState(s: UiState): void {
  api.setState(s);
}
