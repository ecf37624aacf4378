// A minimal JSON client over keep-alive connections: a benchmark's own requests should cost it as little as
// possible, and a new TCP connection per request would be measured too.

import http from 'node:http';

const agents = new Set();

/** A keep-alive agent; destroyed by {@link destroyAgents}. */
export function createAgent() {
  const created = new http.Agent({ keepAlive: true, maxSockets: 64 });
  agents.add(created);
  return created;
}

/** The agent of every request that does not name another. */
export const agent = createAgent();

export function destroyAgents() {
  for (const each of agents) each.destroy();
  agents.clear();
}

/** `{ status, json, text }`; `json` is undefined when the body is not JSON. */
export function request(method, baseUrl, path, { body, headers = {}, agent: via = agent } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const url = new URL(path, baseUrl);
  const allHeaders = payload
    ? {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        ...headers,
      }
    : headers;
  return new Promise((resolveRequest, reject) => {
    const outgoing = http.request(url, { method, agent: via, headers: allHeaders }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolveRequest({ status: response.statusCode, json, text });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

export const post = (baseUrl, path, body, options = {}) =>
  request('POST', baseUrl, path, { ...options, body });

export const get = (baseUrl, path, options = {}) => request('GET', baseUrl, path, options);
