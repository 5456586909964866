// Starts the training worker from a blob: URL of the bundled classic worker script (webview resource URLs
// cannot be Worker URLs; CSP: worker-src blob:). Messages posted before it starts are queued.
import type { ToWorker, WorkerPost } from '../protocol';

export class WorkerClient {
  private worker: Worker | null = null;
  private queue: ToWorker[] = [];
  private terminated = false;

  constructor(scriptBlobUrl: Promise<string>, onMessage: (m: WorkerPost) => void, onCrash: (message: string) => void) {
    scriptBlobUrl.then(
      (url) => {
        if (this.terminated) return;
        const w = new Worker(url, { name: 'latent-lab-trainer' });
        w.onmessage = (e: MessageEvent<WorkerPost>) => onMessage(e.data);
        w.onerror = (e) => onCrash(e.message || 'the training worker stopped');
        w.onmessageerror = () => onCrash('a message from the training worker could not be read');
        for (const m of this.queue) w.postMessage(m);
        this.queue = [];
        this.worker = w;
      },
      (e: Error) => onCrash(e.message),
    );
  }

  post(m: ToWorker): void {
    if (this.worker) this.worker.postMessage(m);
    else this.queue.push(m);
  }

  terminate(): void {
    this.terminated = true;
    this.worker?.terminate();
  }
}
