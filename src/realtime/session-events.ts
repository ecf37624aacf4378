import type { AuthEvents } from '../auth';
import type { SessionEventModel } from './account.models';

/** What the `sessionEvents` subscription yields: its field's value, under its name. */
export interface SessionEventsPayload {
  sessionEvents: SessionEventModel;
}

/**
 * The revocations of `userId`'s sessions as they happen on this instance, as an async iterator for a GraphQL
 * subscription. Listens only while iterated: ending the subscription (`return`) unsubscribes.
 */
export function sessionEventsOf(
  events: AuthEvents,
  userId: string,
): AsyncIterableIterator<SessionEventsPayload> {
  const queue: SessionEventsPayload[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const unsubscribe = events.on('session.revoked', (event) => {
    if (event.userId !== userId) return;
    queue.push({ sessionEvents: { type: 'revoked', sessionId: event.sessionId } });
    wake?.();
  });
  const iterator: AsyncIterableIterator<SessionEventsPayload> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      while (!ended && queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const value = queue.shift();
      return ended || value === undefined
        ? { done: true, value: undefined }
        : { done: false, value };
    },
    return() {
      ended = true;
      unsubscribe();
      wake?.();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return iterator;
}
