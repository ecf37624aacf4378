/**
 * Runs `work` on a later turn of the event loop and settles with its outcome, as a store doing I/O answers: so
 * concurrent requests interleave in an in-memory store as they would with a database. `work` itself runs in one
 * synchronous step, so whatever it checks and writes is atomic.
 */
export function io<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(work());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
