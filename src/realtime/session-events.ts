import type { AuthEvents, RevocationList } from '../auth';
import type { SessionEventModel } from './account.models';

/** What the `sessionEvents` subscription yields: its field's value, under its name. */
export interface SessionEventsPayload {
  sessionEvents: SessionEventModel;
}

/** Where a user's session revocations are heard, and which sessions are the user's. */
export interface SessionEventSources {
  events: AuthEvents;
  revocations: RevocationList;
  userId: string;
  /**
   * The user's live sessions when the subscription started (one query, at its start only). A promise: the
   * listeners are in place before it settles, so no revocation made meanwhile is missed.
   */
  sessionIds: Promise<Iterable<string>>;
}

/**
 * The revocations of a user's sessions as they happen, as an async iterator for a GraphQL subscription: those made
 * on this instance (AuthEvents, which names the user), and those made on any instance sharing Redis (the revocation
 * list, which names only sessions: of those, the user's known sessions, and the ones opened here since). Each
 * session's revocation is delivered once. Listens only while iterated: ending the subscription unsubscribes.
 */
export function sessionEventsOf(
  sources: SessionEventSources,
): AsyncIterableIterator<SessionEventsPayload> {
  const { events, revocations, userId } = sources;
  const known = new Set<string>();
  /** Sessions revoked elsewhere before the user's sessions were known: sorted out once they are. */
  let held: string[] | undefined = [];
  const delivered = new Set<string>();
  const queue: SessionEventsPayload[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: Error | undefined;
  const deliver = (sessionId: string) => {
    if (delivered.has(sessionId)) return;
    delivered.add(sessionId);
    queue.push({ sessionEvents: { type: 'revoked', sessionId } });
    wake?.();
  };
  const unsubscribers = [
    events.on('session.revoked', (event) => {
      if (event.userId === userId) deliver(event.sessionId);
    }),
    events.on('login.succeeded', (event) => {
      if (event.userId === userId) known.add(event.sessionId);
    }),
    revocations.onRevoked?.((sessionIds) => {
      for (const sessionId of sessionIds) {
        if (known.has(sessionId)) deliver(sessionId);
        else held?.push(sessionId);
      }
    }) ?? (() => undefined),
  ];
  sources.sessionIds.then(
    (sessionIds) => {
      for (const sessionId of sessionIds) known.add(sessionId);
      for (const sessionId of held ?? []) if (known.has(sessionId)) deliver(sessionId);
      held = undefined;
    },
    (error: unknown) => {
      // The caller cannot be served (gone meanwhile, the database down): the subscription ends with that error.
      failure = error instanceof Error ? error : new Error(String(error));
      held = undefined;
      wake?.();
    },
  );
  const iterator: AsyncIterableIterator<SessionEventsPayload> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      while (!ended && failure === undefined && queue.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failure !== undefined && !ended) throw failure;
      const value = queue.shift();
      return ended || value === undefined
        ? { done: true, value: undefined }
        : { done: false, value };
    },
    return() {
      ended = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
      wake?.();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return iterator;
}
