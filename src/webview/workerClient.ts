// Starts the training worker. Webview resource URLs cannot be Worker URLs, so a blob: bootstrap
// importScripts() the bundled classic worker script (CSP: worker-src blob:).
import type { FromWorker, ToWorker } from '../protocol';

export class WorkerClient {
  private readonly worker: Worker;

  constructor(scriptUrl: string, onMessage: (m: FromWorker) => void, onCrash: (message: string) => void) {
    const bootstrap = new Blob([`importScripts(${JSON.stringify(scriptUrl)});`], { type: 'text/javascript' });
    const url = URL.createObjectURL(bootstrap);
    this.worker = new Worker(url, { name: 'latent-lab-trainer' });
    URL.revokeObjectURL(url);
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
    this.worker.onerror = (e) => onCrash(e.message || 'the training worker stopped');
    this.worker.onmessageerror = () => onCrash('a message from the training worker could not be read');
  }

  post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
