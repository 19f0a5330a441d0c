// Types only (`npx tsc -p web/jsconfig.json`; never loaded by the page): the
// globals the page's modules share, and the names api.js tests for to tell
// node from a page or a worker. The wasm module is embind's, with no
// declarations: it is typed `any` where the API takes it (Lab in api.js).

interface Window {
  /** js/boot.js starts the training worker early; js/worker-host.js takes it over. */
  flowlabBoot?: { worker: Worker; at: number; failed: string | null } | null;
  /** js/main.js: the page's live state, for tests and the console. */
  flowlabPage?: {
    config: { ex: string; seed: number; [field: string]: unknown } | null;
    losses: ArrayLike<number>;
    analyses: Record<string, unknown>;
    analysisProgress: number;
    figureSlices: number;
    [name: string]: unknown;
  };
  /** js/main.js: the API, for the console. */
  FlowLab?: typeof import('./api.js');
  /** js/compare.js and js/report/main.js: their state, for tests and the console. */
  flowlabCompare?: Record<string, unknown>;
  flowlabReport?: { complete: boolean; [name: string]: unknown };
}

/** A worker's own global scope, as the worker modules use it (the lib here is the page's DOM). */
interface WorkerSelf {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => unknown) | null;
  location: Location;
  crossOriginIsolated: boolean;
  flowlabWorker?: object;
}

// Defined in a worker (importScripts) or in node (process) only.
declare const importScripts: ((...urls: string[]) => void) | undefined;
declare const process: { versions?: { node?: string } } | undefined;
