import { isIP } from 'node:net';

/**
 * Why a WebAuthn relying party cannot work, in one line each (none: it can): every origin a ceremony may come from
 * must be an http(s) origin whose host is the RP ID or a subdomain of it (WebAuthn Level 3 §5.1.3 step 8: the RP ID is a registrable domain suffix of
 * or equal to the origin's effective domain); an IP address is no RP ID.
 *
 * "Registrable" is checked as far as it can be without the Public Suffix List: the RP ID must not be a bare
 * top-level label (`com`) unless it is the origin's host itself (`localhost`). `names`: how the problems name the two
 * settings (the reference server names its variables).
 */
export function relyingPartyProblems(
  rpId: string,
  origins: readonly string[],
  names: { rpId: string; origins: string } = { rpId: 'rpId', origins: 'origins' },
): string[] {
  if (typeof rpId !== 'string' || !/^[a-z0-9.-]+$/.test(rpId) || rpId.startsWith('.')) {
    return [
      `${names.rpId} must be a lower-case domain name such as example.com (got "${String(rpId)}")`,
    ];
  }
  if (isIP(rpId) !== 0) return [`${names.rpId} must be a domain name, not an IP address (${rpId})`];
  if (!Array.isArray(origins) || origins.length === 0)
    return [`${names.origins} must list at least one origin`];
  const problems: string[] = [];
  for (const origin of origins) {
    const host = hostOf(origin);
    if (host === undefined) {
      problems.push(
        `${names.origins}: "${String(origin)}" is not an origin such as https://app.example.com (scheme, host, optional port)`,
      );
    } else if (host !== rpId && (!host.endsWith(`.${rpId}`) || !rpId.includes('.'))) {
      problems.push(
        `${names.rpId} ${rpId} is not a registrable suffix of the host of origin ${origin}: use ${host} or a parent domain of it`,
      );
    }
  }
  return problems;
}

/** The host of `origin` when it is a bare http(s) origin (no path, query or credentials); else undefined. */
function hostOf(origin: unknown): string | undefined {
  if (typeof origin !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  // Plain http passes: browsers refuse it outside localhost themselves, and a proxy may be what shows https.
  if (url.origin !== origin || !['https:', 'http:'].includes(url.protocol)) return undefined;
  return url.hostname;
}
