import type { NextFunction, Request, Response } from 'express';

interface BodyParserError {
  status?: number;
  type?: string;
}

const MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON body',
  'entity.too.large': 'Request body too large',
  'charset.unsupported': 'Unsupported charset',
  'encoding.unsupported': 'Unsupported content encoding',
};

/**
 * Express's body parser fails before Nest sees the request, and Express would answer with an HTML page. This answers
 * in Nest's error shape instead, with the parser's own 4xx status.
 */
export function bodyParserErrors(
  error: unknown,
  _request: Request,
  response: Response,
  next: NextFunction,
): void {
  const { status, type } = (error ?? {}) as BodyParserError;
  if (typeof status !== 'number' || status < 400 || status >= 500 || type === undefined) {
    next(error);
    return;
  }
  const statusText =
    status === 413
      ? 'Payload Too Large'
      : status === 415
        ? 'Unsupported Media Type'
        : 'Bad Request';
  response
    .status(status)
    .json({ statusCode: status, message: MESSAGES[type] ?? statusText, error: statusText });
}
