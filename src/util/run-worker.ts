import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Runs the worker module `moduleUrl` (a file that reads `workerData` and posts one message) on its own
 * thread and resolves with the message it posts, so that a long computation does not stop the event loop
 * that answers every other request (and /health/live). `data` is copied by structured clone. Rejects with
 * the worker's error, or when it exits without an answer.
 *
 * From the TypeScript sources (tsx, vitest) the module is a `.ts` file that Node cannot load in a worker
 * by itself: the worker then registers tsx's loader first (a development dependency, present wherever
 * sources run); the compiled `.js` module of `npm start` loads directly.
 */
export function runWorker<T>(moduleUrl: URL, data: unknown): Promise<T> {
  const worker = startModuleWorker(moduleUrl, { workerData: data });
  return new Promise<T>((resolve, reject) => {
    let answered = false;
    worker.once("message", (message: T) => {
      answered = true;
      resolve(message);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!answered)
        reject(new Error(`the worker ${moduleUrl.pathname} exited with code ${code} before answering`));
    });
  });
}

/**
 * A worker thread running the module `moduleUrl` with `options` (workerData ...): a compiled `.js`
 * module directly, a `.ts` source module (tsx, vitest) after registering tsx's loader in the worker.
 */
export function startModuleWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  return moduleUrl.pathname.endsWith(".ts")
    ? new Worker(
        `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); });`,
        { ...options, eval: true },
      )
    : new Worker(moduleUrl, options);
}

/** The URL of a sibling module of `importMetaUrl` with the same extension (.ts in sources, .js compiled). */
export function siblingModule(importMetaUrl: string, baseName: string): URL {
  const extension = importMetaUrl.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./${baseName}${extension}`, importMetaUrl);
}
