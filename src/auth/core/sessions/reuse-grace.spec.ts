import { isWithinReuseGrace } from './reuse-grace';
import type { RefreshTokenRecord } from '../model/session-store.port';

const GRACE_SECONDS = 10;
const SPENT_AT = 1_800_000_000_000;

function token(overrides: Partial<RefreshTokenRecord>): RefreshTokenRecord {
  return {
    id: 'token',
    sessionId: 'session',
    issuedAt: SPENT_AT - 60_000,
    expiresAt: SPENT_AT + 3_600_000,
    spentAt: null,
    successorId: null,
    spentBy: null,
    generation: 0,
    ...overrides,
  };
}

/** A token spent at SPENT_AT, and the successor it was spent for, still unspent (the session's current token). */
function justRotated() {
  const successor = token({ id: 'successor', issuedAt: SPENT_AT });
  const spent = token({ id: 'spent', spentAt: SPENT_AT, successorId: successor.id });
  return { spent, successor };
}

describe('isWithinReuseGrace', () => {
  it('forgives a just-rotated token presented again at once', () => {
    const { spent, successor } = justRotated();

    expect(isWithinReuseGrace(spent, successor, SPENT_AT, GRACE_SECONDS)).toBe(true);
  });

  it('forgives it inside the grace', () => {
    const { spent, successor } = justRotated();

    expect(isWithinReuseGrace(spent, successor, SPENT_AT + 9_999, GRACE_SECONDS)).toBe(true);
  });

  it('forgives it at the end of the grace exactly', () => {
    const { spent, successor } = justRotated();

    expect(
      isWithinReuseGrace(spent, successor, SPENT_AT + GRACE_SECONDS * 1000, GRACE_SECONDS),
    ).toBe(true);
  });

  it('treats it as theft one millisecond after the grace', () => {
    const { spent, successor } = justRotated();

    expect(
      isWithinReuseGrace(spent, successor, SPENT_AT + GRACE_SECONDS * 1000 + 1, GRACE_SECONDS),
    ).toBe(false);
  });

  it('treats it as theft when its successor is already spent (an older ancestor), even inside the grace', () => {
    const { spent, successor } = justRotated();
    const spentSuccessor = { ...successor, spentAt: SPENT_AT + 1_000, successorId: 'third' };

    expect(isWithinReuseGrace(spent, spentSuccessor, SPENT_AT + 2_000, GRACE_SECONDS)).toBe(false);
  });

  it('refuses a successor that is not the one the token was spent for', () => {
    const { spent } = justRotated();
    const stranger = token({ id: 'stranger', issuedAt: SPENT_AT });

    expect(isWithinReuseGrace(spent, stranger, SPENT_AT, GRACE_SECONDS)).toBe(false);
  });

  it('refuses a token that was never spent', () => {
    const { successor } = justRotated();
    const unspent = token({ id: 'unspent', successorId: successor.id });

    expect(isWithinReuseGrace(unspent, successor, SPENT_AT, GRACE_SECONDS)).toBe(false);
  });

  it('forgives nothing after the instant of rotation with a grace of 0', () => {
    const { spent, successor } = justRotated();

    expect(isWithinReuseGrace(spent, successor, SPENT_AT + 1, 0)).toBe(false);
  });
});
