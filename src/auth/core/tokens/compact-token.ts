/** No token of this module comes near this; a bigger one is refused before any parsing work. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** A compact JWS split once, with its header decoded once: what every later check of a verification reads. */
export interface CompactToken {
  /** The decoded header, a JSON object. */
  header: Record<string, unknown>;
  /** The header's JSON text, kept for the duplicate-key check after the signature. */
  headerJson: string;
  /** The payload segment, still base64url: it is decoded only once the signature holds. */
  payloadSegment: string;
}

/**
 * `token` split into a compact JWS as this module writes it, or undefined: at most {@link MAX_TOKEN_LENGTH}
 * characters, three segments of strict base64url (Node's decoder would also take `+`, `/`, `=` and stray characters,
 * so one token would have many accepted spellings; jws's own pattern refuses them too, this refuses them before the
 * header is read), and a header that is a JSON object. The header is decoded here and nowhere else in this module.
 */
export function parseCompactToken(token: string): CompactToken | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const segments = token.split('.');
  if (segments.length !== 3 || !segments.every((segment) => BASE64URL_SEGMENT.test(segment))) {
    return undefined;
  }
  const headerJson = Buffer.from(segments[0], 'base64url').toString('utf8');
  const header = parseObject(headerJson);
  return header && { header, headerJson, payloadSegment: segments[1] };
}

/** The payload segment's JSON text. */
export function payloadJsonOf(token: CompactToken): string {
  return Buffer.from(token.payloadSegment, 'base64url').toString('utf8');
}

function parseObject(json: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // Not JSON: the caller refuses the token, and says so in its log line.
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
