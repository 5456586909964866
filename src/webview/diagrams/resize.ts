// Width tracking shared by every diagram: the sidebar is resizable, so each one re-lays itself out when its
// container's width changes (not on every pixel of height change, which its own content causes).

export const DEFAULT_WIDTH = 320;
/** Narrower than this the layouts have no room (and a container mid-layout can briefly report a few pixels). */
export const MIN_WIDTH = 200;

export function containerWidth(el: HTMLElement): number {
  const w = el.clientWidth;
  return w <= 0 ? DEFAULT_WIDTH : Math.max(MIN_WIDTH, w);
}

/** Calls `onWidth` when the element's content width changes; returns the disconnect function. */
export function observeWidth(el: HTMLElement, onWidth: (width: number) => void): () => void {
  let last = containerWidth(el);
  if (typeof ResizeObserver === 'undefined') return () => undefined;
  let frame = 0;
  const observer = new ResizeObserver(() => {
    const w = containerWidth(el);
    if (Math.abs(w - last) < 1) return;
    last = w;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => onWidth(w));
  });
  observer.observe(el);
  return () => {
    cancelAnimationFrame(frame);
    observer.disconnect();
  };
}

/** Creates the diagram's root element inside `container` (the host section gives the heading). */
export function createRoot(container: HTMLElement, testId: string, className = ''): HTMLDivElement {
  const root = document.createElement('div');
  root.className = `ll-diagram ${className}`.trim();
  root.dataset.testid = testId;
  container.appendChild(root);
  return root;
}
