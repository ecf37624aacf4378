/** What {@link loadOptional} throws when a peer package the host asked for is not installed. */
export class MissingPeerError extends Error {
  override readonly name: string = 'MissingPeerError';

  constructor(
    /** The optional peer that is not installed. */
    readonly packageName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Loads a part of the module that needs an optional peer package (TypeORM, ioredis, nodemailer), only when the host
 * asked for that part, so that a host which never asks needs not install the package.
 *
 * @param load calls `require` of the part (a function, so the part is not loaded before this is called).
 * @param packages the peer packages the part needs, for the message.
 * @param purpose what the host asked for, e.g. `the built-in TypeORM stores`.
 * @param alternative how to do without, if there is a way, e.g. `give userStore and sessionStore`.
 * @throws MissingPeerError `AuthModule: <package> is not installed but is needed for <purpose>: npm install
 *   <packages>[; or <alternative>]` when one of them is missing; any other error of the part as it is.
 */
export function loadOptional<T>(
  load: () => T,
  packages: readonly string[],
  purpose: string,
  alternative?: string,
): T {
  try {
    return load();
  } catch (error) {
    const missing = missingPackage(error, packages);
    if (missing === undefined) throw error;
    const instead = alternative === undefined ? '' : `; or ${alternative}`;
    throw new MissingPeerError(
      missing,
      `AuthModule: ${missing} is not installed but is needed for ${purpose}: npm install ${packages.join(' ')}${instead}`,
    );
  }
}

/** Which of `packages` a module-resolution error says is missing (CommonJS or ESM resolution alike). */
function missingPackage(error: unknown, packages: readonly string[]): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const text = typeof message === 'string' ? message : '';
  return packages.find((name) => text.includes(`'${name}'`) || text.includes(`"${name}"`));
}
