/**
 * Each pair of companies has one transparency log. Its id is the two company ids in order, so
 * either side names the same log; its origin (the checkpoint's first line) is the deployment's
 * host and path with the two ids, unique across deployments as C2SP asks.
 */
export function logIdOf(a: string, b: string): string {
  return a < b ? `${a}~${b}` : `${b}~${a}`;
}

export function companiesOf(logId: string): [string, string] {
  const [a, b] = logId.split('~') as [string, string];
  return [a, b];
}

function hostAndPath(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

export function originOf(publicUrl: string, logId: string): string {
  const [a, b] = companiesOf(logId);
  return `${hostAndPath(publicUrl)}/logs/${a}/${b}`;
}

/** The two company ids an origin names, or undefined when it is not a Tandem log's origin. */
export function companiesOfOrigin(origin: string): [string, string] | undefined {
  const match = /\/logs\/(co_[A-Za-z0-9_-]+)\/(co_[A-Za-z0-9_-]+)$/.exec(origin);
  return match ? [match[1]!, match[2]!] : undefined;
}

/** The log's note key name: `<host>/log`. */
export function logKeyName(publicUrl: string): string {
  return `${hostAndPath(publicUrl)}/log`;
}
