const maxHostname = 253;
const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const tld = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
// Plain ASCII stays on the fast path; anything else goes through the WHATWG URL host parser,
// which applies IDNA (UTS #46) and yields the punycode `xn--` form.
const nonAscii = /[^\x00-\x7f]/;

/**
 * The registrable-looking host name of a customer's website, as both partners and the duplicate
 * check compare it: `HTTPS://WWW.Example.com:8080/a?b` → `example.com`.
 *
 * Trims and lower-cases; strips any `scheme://` (or a leading `//`), path, query, fragment,
 * user info (so an e-mail address gives its domain), port and one trailing dot; strips leading
 * `www.` labels as long as a dotted name remains (`www.com` stays). Unicode names are converted
 * to punycode; `xn--` labels are kept as they are. Returns `undefined` unless what remains is a
 * plausible DNS name: at least two labels of `[a-z0-9-]` (1–63 chars, no leading or trailing
 * dash), an alphabetic or `xn--` top-level label, at most 253 chars. IP addresses are refused.
 * Idempotent: a returned name normalizes to itself.
 */
export function normalizeDomain(input: string): string | undefined {
  let host = input.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  host = host.split(/[/?#\\]/, 1)[0] ?? '';
  host = host.slice(host.lastIndexOf('@') + 1);
  host = host.replace(/:\d*$/, '');
  if (nonAscii.test(host)) {
    const ascii = toAsciiHost(host);
    if (ascii === undefined) return undefined;
    host = ascii;
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  while (host.startsWith('www.') && host.indexOf('.', 4) !== -1) host = host.slice(4);
  return isPlausibleHostname(host) ? host : undefined;
}

function toAsciiHost(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

function isPlausibleHostname(host: string): boolean {
  if (host.length === 0 || host.length > maxHostname) return false;
  const labels = host.split('.');
  if (labels.length < 2) return false;
  const top = labels[labels.length - 1] ?? '';
  return tld.test(top) && labels.every((l) => label.test(l));
}
