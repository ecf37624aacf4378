import type { ExecutionContext } from '@nestjs/common';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- handlers and classes are any function
type Handler = Function;

/**
 * What a guard reads from a route's metadata, read once per handler and class: metadata is fixed once the app is
 * built, and a global guard runs on every request (a `Reflector` lookup allocates and walks each time). A context
 * without a handler or class (a guard called by hand) is read every time, never cached.
 */
export class RouteMetadataCache<T> {
  private readonly byHandler = new WeakMap<Handler, WeakMap<Handler, T>>();

  constructor(private readonly read: (context: ExecutionContext) => T) {}

  /** The value for the route of `context`, read at its first request. */
  of(context: ExecutionContext): T {
    const handler = context.getHandler() as Handler | undefined;
    const type = context.getClass() as Handler | undefined;
    if (typeof handler !== 'function' || typeof type !== 'function') return this.read(context);
    let byClass = this.byHandler.get(handler);
    if (byClass === undefined) this.byHandler.set(handler, (byClass = new WeakMap()));
    if (!byClass.has(type)) byClass.set(type, this.read(context));
    return byClass.get(type) as T;
  }
}
