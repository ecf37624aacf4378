/**
 * The answers of the reference server's HTTP layer (body parsing, URL decoding) in Nest's error shape
 * `{ statusCode, message, error }`, with messages of its own: nothing of Express, Fastify, body-parser or zlib (their
 * messages, their error codes) reaches a client, and both adapters answer alike.
 */
export interface HttpLayerError {
  statusCode: number;
  message: string;
  error: string;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

export const HTTP_LAYER_MESSAGES = {
  malformedJson: 'Malformed JSON body',
  malformedUrl: 'Malformed URL',
  tooLarge: 'Request body too large',
  unsupportedEncoding: 'Unsupported content encoding: send the body uncompressed',
  unsupportedCharset: 'Unsupported charset: JSON bodies must be UTF-8',
  unsupportedMediaType: 'Unsupported Media Type',
} as const;

/** The body for a client error of `status` (4xx), with `message` or the status text. */
export function httpLayerError(status: number, message?: string): HttpLayerError {
  const statusText = STATUS_TEXT[status] ?? 'Bad Request';
  return { statusCode: status, message: message ?? statusText, error: statusText };
}

/**
 * Why a request's body cannot be read, from its headers, before any parsing: a `Content-Encoding` other than
 * `identity` (no auth request needs compression, and inflating invites decompression bombs), or a JSON body
 * declared in a charset other than UTF-8 (RFC 8259 §8.1). Undefined when it may be parsed.
 */
export function unreadableBody(headers: {
  'content-encoding'?: string | string[];
  'content-type'?: string;
}): HttpLayerError | undefined {
  const encoding = [headers['content-encoding'] ?? []].flat().join(',').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    return httpLayerError(415, HTTP_LAYER_MESSAGES.unsupportedEncoding);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(headers['content-type'] ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    return httpLayerError(415, HTTP_LAYER_MESSAGES.unsupportedCharset);
  }
  return undefined;
}
