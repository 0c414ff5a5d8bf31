import { isIP } from 'node:net';

/** What Go's `url.Parse` makes of a URL: the host name it names, or why it refuses it. */
export type GoUrl = { readonly hostname: string } | { readonly error: string };

// Bytes Go's url package refuses unescaped in a host (shouldEscape in encodeHost mode).
const HOST_REFUSED = /[\s"`{}|\\^<>]/;
const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/;

/**
 * Parses `raw` as Go's net/url `Parse` does, as far as the host is concerned: Istio lints webhook
 * URLs with it, and WHATWG URL parsing (node's `URL`) accepts and refuses other strings.
 */
export function parseGoUrl(raw: string): GoUrl {
  if (/[\x00-\x1f\x7f]/.test(raw)) return { error: 'invalid control character in URL' };
  const hash = raw.indexOf('#');
  if (hash >= 0 && BAD_ESCAPE.test(raw.slice(hash + 1))) return { error: 'invalid URL escape' };
  let rest = hash >= 0 ? raw.slice(0, hash) : raw;
  if (rest === '*') return { hostname: '' };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (rest.startsWith(':')) return { error: 'missing protocol scheme' };
  if (scheme) rest = rest.slice(scheme[0].length);
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  if (!rest.startsWith('/')) {
    if (scheme) return { hostname: '' }; // opaque, as in mailto:x
    if (rest.split('/', 1)[0]!.includes(':')) return { error: 'first path segment in URL cannot contain colon' };
  }
  let host = '';
  if (rest.startsWith('//') && !(scheme === null && rest.startsWith('///'))) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    if (at >= 0 && !/^[A-Za-z0-9\-._~!$&'()*+,;=:%@]*$/.test(authority.slice(0, at))) return { error: 'invalid userinfo' };
    host = authority.slice(at + 1);
    const problem = hostProblem(host);
    if (problem) return { error: problem };
  }
  if (BAD_ESCAPE.test(rest)) return { error: 'invalid URL escape' };
  return { hostname: hostnameOf(unescaped(host)) };
}

/** What Go's `url.ParseRequestURI` makes of a string: its parts, or why it refuses it. */
export type GoRequestUri = { readonly scheme: string; readonly host: string; readonly hostname: string; readonly port: string } | { readonly error: string };

/**
 * Parses `raw` as Go's `url.ParseRequestURI` does (an absolute URI or an absolute path; no
 * fragment is split off), which the Kubernetes CEL functions `url()` and `isURL()` use.
 */
export function parseGoRequestUri(raw: string): GoRequestUri {
  if (raw === '') return { error: 'empty url' };
  if (/[\x00-\x1f\x7f]/.test(raw)) return { error: 'invalid control character in URL' };
  if (raw === '*') return { scheme: '', host: '', hostname: '', port: '' };
  let scheme = '';
  let rest = raw;
  const colon = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(raw);
  if (raw.startsWith(':')) return { error: 'missing protocol scheme' };
  if (colon) {
    scheme = colon[1]!.toLowerCase();
    rest = raw.slice(colon[0].length);
  }
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  if (!rest.startsWith('/')) {
    // An opaque URI (mailto:x) when there is a scheme; a request URI must be absolute otherwise.
    return scheme ? { scheme, host: '', hostname: '', port: '' } : { error: 'invalid URI for request' };
  }
  let host = '';
  if (scheme && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    if (at >= 0 && !/^[A-Za-z0-9\-._~!$&'()*+,;=:%@]*$/.test(authority.slice(0, at))) return { error: 'invalid userinfo' };
    host = unescaped(authority.slice(at + 1));
    const problem = hostProblem(authority.slice(at + 1));
    if (problem) return { error: problem };
  }
  if (BAD_ESCAPE.test(rest)) return { error: 'invalid URL escape' };
  const hostname = hostnameOf(host);
  const port = host.startsWith('[') ? host.slice(host.lastIndexOf(']') + 2) : host.includes(':') ? host.slice(host.lastIndexOf(':') + 1) : '';
  return { scheme, host, hostname, port };
}

/** True when Go's `net.ParseIP` reads `hostname` as an address (zones are not addresses to it). */
export function isGoIp(hostname: string): boolean {
  return !hostname.includes('%') && isIP(hostname) !== 0;
}

function hostProblem(host: string): string | undefined {
  let port: string;
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return "missing ']' in host";
    port = host.slice(close + 1);
  } else {
    const colon = host.lastIndexOf(':');
    port = colon < 0 ? '' : host.slice(colon);
  }
  if (!/^(:[0-9]*)?$/.test(port)) return `invalid port ${JSON.stringify(port)} after host`;
  if (BAD_ESCAPE.test(host) || HOST_REFUSED.test(host)) return `invalid character in host name`;
  return undefined;
}

/** The host with its escapes undone; Go keeps bytes that are not UTF-8, which JavaScript cannot. */
function unescaped(host: string): string {
  try {
    return decodeURIComponent(host);
  } catch {
    return host;
  }
}

/** url.URL.Hostname: the host without its port and brackets. */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    return host.slice(1, close);
  }
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}
