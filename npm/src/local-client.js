// The calling side of on-device reading (issue 14), shared by browsers (local-browser.js: a
// module Web Worker) and Node (local-node.js: worker_threads): one worker per page or process,
// started on the first `local` call, its engine kept between calls; the protocol is described in
// local-worker.js. An AbortSignal rejects at once with AbortedError and, the reading being
// synchronous inside the worker, terminates it (the next call starts a new one; other calls in
// flight are sent again to the new worker). The worker may start a helper worker of its own
// (local-worker.js); terminating the worker ends its helper too.
import { AbortedError, ProviderError, errorClasses } from "./errors.js";

const aborted = () => new AbortedError("the call was cancelled by the caller's AbortSignal");

/**
 * `spawn({ message, failed })` starts a worker and returns `{ post(message), terminate(), busy(boolean) }`;
 * it calls `message(data)` for each answer and `failed()` if the worker dies on its own.
 * `notLoaded()`: the error when the worker dies before its script said it was ready.
 */
export function localClient(spawn, notLoaded = () => null) {
  let worker = null;
  let nextId = 1;
  const pending = new Map(); // id -> { message, resolve, reject }
  const stats = { workersStarted: 0, readsPosted: 0, stepsShared: 0, memoryBytes: 0, helperMemoryBytes: 0, helperJobs: 0 };

  function start() {
    let ready = false;
    const w = spawn({
      message(m) {
        if (m?.ready === true) {
          ready = true;
          return;
        }
        if (m?.shared === true) {
          stats.stepsShared += 1; // the worker and its helper are both recognizing
          return;
        }
        const p = pending.get(m?.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.ok) {
          stats.memoryBytes = Math.max(stats.memoryBytes, m.memoryBytes ?? 0);
          stats.helperMemoryBytes = Math.max(stats.helperMemoryBytes, m.helperMemoryBytes ?? 0);
          stats.helperJobs += m.helperJobs ?? 0;
          p.resolve(m.value);
        } else {
          const cls = errorClasses[m.error?.code] ?? ProviderError;
          p.reject(new cls(m.error?.message ?? "internal error in the on-device reading", m.error ?? {}));
        }
        if (m.fatal && worker === w) replace();
        else if (pending.size === 0) w.busy(false);
      },
      failed() {
        if (worker !== w) return; // terminated by us
        worker = null;
        w.terminate();
        const all = [...pending.values()];
        pending.clear();
        for (const p of all) {
          p.reject((!ready && notLoaded()) || new ProviderError("the on-device reading's worker stopped (out of memory?)", { retryable: false }));
        }
      },
    });
    stats.workersStarted += 1;
    return w;
  }

  /** Terminate the current worker; calls still pending go to a new one. */
  function replace() {
    const old = worker;
    worker = null;
    old?.terminate();
    if (pending.size > 0) {
      worker = start();
      worker.busy(true);
      for (const p of pending.values()) worker.post(p.message);
    }
  }

  /** Resolves to `{ result, settled, fields }` for `message` ({ wasm, models, bytes, document }). */
  function read(message, signal) {
    if (signal?.aborted) return Promise.reject(aborted());
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const onAbort = () => {
        if (!pending.has(id)) return;
        pending.delete(id);
        reject(aborted());
        replace(); // the reading cannot be interrupted inside the worker
      };
      const done = (f) => (v) => {
        signal?.removeEventListener("abort", onAbort);
        f(v);
      };
      const entry = { message: { ...message, id }, resolve: done(resolve), reject: done(reject) };
      try {
        worker ??= start();
      } catch (e) {
        reject(e);
        return;
      }
      pending.set(id, entry);
      signal?.addEventListener("abort", onAbort, { once: true });
      worker.busy(true);
      worker.post(entry.message);
      stats.readsPosted += 1;
    });
  }

  return { read, stats };
}
