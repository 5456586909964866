// Boots the real webview bundle in a plain page: a stubbed acquireVsCodeApi records what the webview
// posts to the extension, and the body carries the asset URLs the extension would put there. The tests play the
// extension's part by posting its messages; for the view's Pause and Step buttons (whose requests go to the
// extension, the run's owner) this stub answers as the extension does, from the state the view last reported.
import { WASM_FILES, type AssetUrls } from '../../../src/domain/assets';
import type { FromWebview } from '../../../src/protocol';

declare global {
  interface Window {
    posted: FromWebview[];
    acquireVsCodeApi: () => unknown;
  }
}

const origin = location.origin;
const dataset = (base: string) => ({ png: `${origin}/media/data/${base}.png`, json: `${origin}/media/data/${base}.json` });
const assets: AssetUrls = {
  wasm: Object.fromEntries(WASM_FILES.map((f) => [f, `${origin}/dist/wasm/${f}`])),
  datasets: {
    mnist: dataset('mnist/mnist-test-10k'),
    'fashion-mnist': dataset('fashion-mnist/fashion-mnist-test-10k'),
    'digits-8x8': dataset('sklearn-digits/digits-8x8-1797'),
  },
};
window.posted = [];
let state: unknown;
let shownState = 'idle';
function answerAsExtension(m: FromWebview): void {
  if (m.type === 'status') shownState = m.status.state;
  if (m.type !== 'control') return;
  const action = m.action === 'togglePause' ? (shownState === 'training' || shownState === 'loading' ? 'pause' : 'resume') : m.action;
  if (action === 'pause' || action === 'resume' || action === 'step') window.postMessage({ type: 'control', action }, '*');
}
window.acquireVsCodeApi = () => ({
  postMessage: (m: FromWebview) => {
    window.posted.push(m);
    answerAsExtension(m);
  },
  getState: () => state,
  setState: (s: unknown) => (state = s),
});
document.body.dataset.worker = `${origin}/dist/trainer.worker.js`;
document.body.dataset.assets = JSON.stringify(assets);
const app = document.createElement('div');
app.id = 'app';
document.body.append(app);
void import('../../../src/webview/main');
