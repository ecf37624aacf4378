import { TooManyRequestsException } from './too-many-requests.exception';

/** 429 with `Retry-After`: an account is slowed down after repeated failed logins. */
export class TooManyLoginAttemptsException extends TooManyRequestsException {
  readonly responseHeaders: Record<string, string>;

  constructor(retryAfterSeconds: number) {
    super('Too many failed logins for this account; try again later');
    this.responseHeaders = { 'Retry-After': String(retryAfterSeconds) };
  }
}
