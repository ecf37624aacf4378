import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  IntrinsicException,
} from '@nestjs/common';
import { AuthError, type AuthErrorCode } from '../core/errors/auth-error';

/** How a socket.io event refused by the module is acknowledged (CONTRACT §4.14). */
export interface SocketRefusalAck {
  error: {
    code: AuthErrorCode;
    message: string | readonly string[];
    /** A step-up refusal (`INSUFFICIENT_USER_AUTHENTICATION`): the `acr` values that would do, RFC 9470. */
    acrValues?: string;
    /** A step-up refusal: the longest age, in seconds, the authentication may have. */
    maxAge?: number;
  };
}

/**
 * The socket.io face needs no table of its own: the acknowledgement carries the code and its message (the same as
 * over HTTP and GraphQL).
 */
export function toSocketAck(error: AuthError): SocketRefusalAck {
  const { acrValues, maxAge } = error.details;
  return {
    error: {
      code: error.code,
      message: error.publicMessage,
      ...(acrValues === undefined ? {} : { acrValues }),
      ...(maxAge === undefined ? {} : { maxAge }),
    },
  };
}

/**
 * A guard's refusal of a socket.io event: its AuthError, for {@link AuthSocketErrorsFilter} to acknowledge. An
 * IntrinsicException, so that on a gateway without that filter Nest's own handler (an `exception` event) does not
 * log every refused message at error level.
 */
export class SocketRefusal extends IntrinsicException {
  override readonly name: string = 'SocketRefusal';

  constructor(readonly authError: AuthError) {
    super(authError.message);
  }
}

/** A socket.io client, as far as this uses it (the module does not import socket.io, an optional peer). */
interface EmittingClient {
  emit?(event: string, payload: unknown): unknown;
}

/**
 * The module's refusals on a socket.io gateway: a refused event (a guard's {@link SocketRefusal}, or an
 * {@link AuthError} of the handler) is acknowledged with `{ error: { code, message } }`; an event sent without an
 * acknowledgement callback gets Nest's `exception` event instead, `{ status: 'error', code, message }`. Other errors
 * are left to Nest's handler. Bind it to a gateway with `@UseFilters(AuthSocketErrorsFilter)`.
 */
@Catch(AuthError, SocketRefusal)
export class AuthSocketErrorsFilter implements ExceptionFilter<AuthError | SocketRefusal> {
  catch(exception: AuthError | SocketRefusal, host: ArgumentsHost): void {
    const error = exception instanceof SocketRefusal ? exception.authError : exception;
    const ack = toSocketAck(error);
    // A socket.io handler's arguments: the socket, the data, the acknowledgement callback (when the client sent one).
    const callback: unknown = host.getArgByIndex(2);
    if (typeof callback === 'function') {
      (callback as (payload: SocketRefusalAck) => void)(ack);
      return;
    }
    const client = host.switchToWs().getClient<EmittingClient>();
    client.emit?.('exception', { status: 'error', ...ack.error });
  }
}
