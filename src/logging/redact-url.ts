const REDACTED = '[redacted]';

/**
 * Query parameters whose value may be logged: this server's own, whose values are never secret, each with the shape a
 * value must have to be shown (anything else a client puts there is redacted all the same).
 */
const SHOWN_VALUES: Readonly<Record<string, RegExp>> = {
  scope: /^(local|global|others)$/,
  limit: /^\d{1,4}$/,
};

/** Names a client may put a secret under: shown as the name with its value redacted, so that a log says what came. */
const SECRET_NAMES = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'password',
  'code',
  'client_secret',
  'api_key',
  'secret',
]);

/**
 * A request URL as a log line may show it (docs/operations.md, Outages, and docs/security-decisions.md): the path as sent, and a query string where nothing a
 * client sent can leak. Default-deny: a parameter keeps its value only if {@link SHOWN_VALUES} allows it; a known
 * name ({@link SECRET_NAMES}) keeps its name; any other parameter, name included (a bare `?<token>` is a name),
 * becomes `[redacted]`. Names are compared after percent-decoding and lower-casing, and both `&` and `;` separate
 * parameters, so `%61ccess_token`, `ACCESS_TOKEN` and repeated keys are all caught.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const path = url.slice(0, queryStart);
  const query = url.slice(queryStart + 1);
  if (query === '') return path;
  return `${path}?${query.split(/[&;]/).map(redactParameter).join('&')}`;
}

function redactParameter(parameter: string): string {
  if (parameter === '') return '';
  const equals = parameter.indexOf('=');
  const rawName = equals === -1 ? parameter : parameter.slice(0, equals);
  const rawValue = equals === -1 ? undefined : parameter.slice(equals + 1);
  const name = decodeLeniently(rawName).toLowerCase();
  const shape = Object.hasOwn(SHOWN_VALUES, name) ? SHOWN_VALUES[name] : undefined;
  if (shape !== undefined && rawValue !== undefined && shape.test(decodeLeniently(rawValue))) {
    return `${name}=${rawValue}`;
  }
  if (shape !== undefined || SECRET_NAMES.has(name)) return `${name}=${REDACTED}`;
  return REDACTED;
}

/** Percent-decoding (and `+` as space) that never throws: a malformed sequence is kept as it came. */
function decodeLeniently(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-f]{2})/gi, (_sequence, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
  }
}
