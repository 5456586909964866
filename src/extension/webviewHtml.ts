// The Lab view's HTML: a strict CSP (nonce scripts, wasm compile allowed, blob workers, no eval, no inline
// scripts) and the webview URIs the UI and worker need, handed over as data attributes.
import * as vscode from 'vscode';
import { WASM_FILES, type AssetUrls } from '../domain/assets';
import type { ImageDatasetName } from '../domain/config';

const DATASET_FILES: Record<ImageDatasetName, string> = {
  mnist: 'mnist/mnist-test-10k',
  'fashion-mnist': 'fashion-mnist/fashion-mnist-test-10k',
  'digits-8x8': 'sklearn-digits/digits-8x8-1797',
};

export function assetUrls(webview: vscode.Webview, root: vscode.Uri): AssetUrls {
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(root, ...p)).toString();
  const datasets = {} as AssetUrls['datasets'];
  for (const [name, base] of Object.entries(DATASET_FILES) as [ImageDatasetName, string][]) {
    datasets[name] = { png: uri('media', 'data', `${base}.png`), json: uri('media', 'data', `${base}.json`) };
  }
  return { wasm: Object.fromEntries(WASM_FILES.map((f) => [f, uri('dist', 'wasm', f)])), datasets };
}

export function labHtml(webview: vscode.Webview, root: vscode.Uri): string {
  const nonce = makeNonce();
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(root, ...p)).toString();
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}' ${webview.cspSource} 'wasm-unsafe-eval'`,
    `worker-src blob:`,
    // The UI thread fetches the worker's script, wasm and data, and hands the worker blob: URLs of them.
    `connect-src ${webview.cspSource} blob:`,
  ].join('; ');
  const assets = JSON.stringify(assetUrls(webview, root));
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('media', 'css', 'lab.css')}">
<link rel="stylesheet" href="${uri('media', 'css', 'diagrams.css')}">
<title>Latent Lab</title>
</head>
<body data-worker="${uri('dist', 'trainer.worker.js')}" data-assets="${escapeAttr(assets)}" data-lang="${vscode.env.language}">
<div id="app" role="main"></div>
<script nonce="${nonce}" src="${uri('dist', 'webview.js')}"></script>
</body>
</html>`;
}

function makeNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
