/**
 * The answers of the reference server's HTTP layer (body parsing, URL decoding, routing, its own failures) in Nest's
 * error shape plus the stable `code` of docs/errors.md, `{ statusCode, message, error, code }`, with messages of its
 * own: nothing of Express, Fastify, body-parser or zlib (their messages, their error codes) reaches a client, and
 * both adapters answer alike.
 */
export interface HttpLayerError {
  statusCode: number;
  message: string;
  error: string;
  code: string;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/**
 * The codes of answers that are not the auth module's (which carry their own), by status: the HTTP layer's, a
 * route that does not exist, a failure of the server. A refused body or query is `VALIDATION_FAILED`, as the module
 * names its own.
 */
const CODES: Readonly<Record<number, string>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** The code of an answer of `status` that has none of its own: `BAD_REQUEST` or `INTERNAL_ERROR` for the rest. */
export function httpLayerCode(status: number): string {
  return CODES[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR');
}

export const HTTP_LAYER_MESSAGES = {
  malformedJson: 'Malformed JSON body',
  malformedUrl: 'Malformed URL',
  tooLarge: 'Request body too large',
  unsupportedEncoding: 'Unsupported content encoding: send the body uncompressed',
  unsupportedCharset: 'Unsupported charset: JSON bodies must be UTF-8',
  unsupportedMediaType: 'Unsupported Media Type: send JSON (Content-Type: application/json)',
} as const;

/** The body for an error of `status`, with `message` or the status text. */
export function httpLayerError(status: number, message?: string): HttpLayerError {
  const statusText = STATUS_TEXT[status] ?? 'Bad Request';
  return {
    statusCode: status,
    message: message ?? statusText,
    error: statusText,
    code: httpLayerCode(status),
  };
}

/** The request headers {@link unreadableBody} looks at. */
export interface BodyHeaders {
  'content-encoding'?: string | string[];
  'content-type'?: string;
  'content-length'?: string;
  'transfer-encoding'?: string;
}

/**
 * Why a request's body cannot be read, from its headers, before any parsing (docs/sessions.md: Behaviour in detail, HTTP
 * layer), or undefined when it may be parsed:
 * - a `Content-Encoding` other than `identity` (no auth request needs compression, and inflating invites
 *   decompression bombs);
 * - a body that is not declared `application/json` (a form, text, XML, no `Content-Type` at all): every route of
 *   this server takes JSON or nothing, and each adapter would otherwise treat it its own way;
 * - a JSON body declared in a charset other than UTF-8 (RFC 8259 §8.1).
 * All three answer 415.
 */
export function unreadableBody(headers: BodyHeaders): HttpLayerError | undefined {
  const encoding = [headers['content-encoding'] ?? []].flat().join(',').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    return httpLayerError(415, HTTP_LAYER_MESSAGES.unsupportedEncoding);
  }
  const contentType = headers['content-type'] ?? '';
  if (hasBody(headers) && !/^application\/json\s*(;|$)/i.test(contentType)) {
    return httpLayerError(415, HTTP_LAYER_MESSAGES.unsupportedMediaType);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    return httpLayerError(415, HTTP_LAYER_MESSAGES.unsupportedCharset);
  }
  return undefined;
}

/** Whether the request carries a body of at least one byte (RFC 9112 §6.3): chunked, or a non-zero length. */
function hasBody(headers: BodyHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length.trim() !== '0';
}
