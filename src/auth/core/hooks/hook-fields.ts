import type { UserRecord } from '../model/user-store.port';
import {
  type AuthHooks,
  type MergedFields,
  RESERVED_ACCESS_TOKEN_CLAIMS,
  RESERVED_PUBLIC_USER_FIELDS,
} from './hooks';

/** The two seams whose answers are merged into what the module hands out. */
type FieldSeam = 'accessTokenClaims' | 'publicUserFields';

const RESERVED: Record<FieldSeam, { names: ReadonlySet<string>; what: string }> = {
  accessTokenClaims: { names: RESERVED_ACCESS_TOKEN_CLAIMS, what: 'claim' },
  publicUserFields: { names: RESERVED_PUBLIC_USER_FIELDS, what: 'field' },
};

/**
 * What `hooks` answer at `seam` for `user`, merged in order (a later hook's name wins), or undefined when none
 * answers anything.
 * @throws Error naming the hook, the seam and the name, when an answer is not a plain object or gives a name the
 * module keeps for itself: a host's mistake, refused where it happens rather than shadowing the module's own claims.
 */
export async function hookFields(
  seam: FieldSeam,
  hooks: readonly AuthHooks[],
  user: UserRecord,
): Promise<MergedFields> {
  let merged: Record<string, unknown> | undefined;
  for (const hook of hooks) {
    // Promise.resolve: a hook answers at once or with a promise; its type (`object`) hides which.
    const answer: unknown = await Promise.resolve(hook[seam]?.(user));
    if (answer === undefined) continue;
    assertAllowed(seam, hook, answer);
    merged = Object.assign(merged ?? {}, answer);
  }
  return merged;
}

function assertAllowed(
  seam: FieldSeam,
  hook: AuthHooks,
  answer: unknown,
): asserts answer is Record<string, unknown> {
  const name = `the ${seam} hook of ${hook.constructor.name}`;
  const isObject = typeof answer === 'object' && answer !== null;
  const proto: unknown = isObject ? Object.getPrototypeOf(answer) : undefined;
  if (!isObject || (proto !== Object.prototype && proto !== null)) {
    throw new Error(
      `AuthModule: ${name} answered ${describe(answer)}: answer a plain object or undefined`,
    );
  }
  const { names, what } = RESERVED[seam];
  // Own keys, `__proto__` included (JSON.parse makes it an own key).
  const reserved = Reflect.ownKeys(answer).filter(
    (key) => typeof key !== 'string' || names.has(key),
  );
  if (reserved.length > 0) {
    throw new Error(
      `AuthModule: ${name} gave the ${what} ${reserved.map(String).join(', ')}, which the module keeps for ` +
        `itself (reserved: ${[...names].join(', ')}): give it another name`,
    );
  }
}

function describe(answer: unknown): string {
  if (answer === null) return 'null';
  if (Array.isArray(answer)) return 'an array';
  return typeof answer === 'object'
    ? `an instance of ${answer.constructor.name}`
    : `a ${typeof answer}`;
}
