// @ts-check
// The compare link: two share links in one hash,
//   compare=1&a=<link A>&b=<link B>
// each half percent-encoded once (encodeURIComponent) so its own & and = stay
// inside it. This module only splits and joins: each half, decoded once, is an
// ordinary share link that the core parses (parseLink, in that run's worker).

export const VERSION = '1';
export const HALVES = ['a', 'b'];

/** True when a hash (without '#') is a compare link rather than a share link. */
export function isCompare(hash) {
  return /^compare=/.test(hash);
}

/** The compare hash holding two share links. */
export function format(a, b) {
  return `compare=${VERSION}&a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
}

/**
 * Splits a compare hash into its two share links. A half that is missing or
 * not decodable gets link '' (the core's defaults) and a problem naming it;
 * the other half is untouched.
 * @returns {{a: string, b: string, problems: {half: string, message: string}[]}}
 */
export function parse(hash) {
  const fields = new Map();
  const problems = [];
  for (const part of hash.split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (fields.has(key)) problems.push({ half: HALVES.includes(key) ? key : '', message: `'${key}' appears twice; the first one is used` });
    else fields.set(key, eq < 0 ? '' : part.slice(eq + 1));
  }
  if (fields.get('compare') !== VERSION) {
    problems.push({ half: '', message: `compare=${String(fields.get('compare')).slice(0, 20)} is not a version this page reads (compare=${VERSION}); the halves were read as version ${VERSION}` });
  }
  for (const key of fields.keys()) {
    if (key !== 'compare' && !HALVES.includes(key)) problems.push({ half: '', message: `unknown field '${key.slice(0, 40)}' ignored` });
  }
  const out = { a: '', b: '', problems };
  for (const half of HALVES) {
    const raw = fields.get(half);
    if (raw === undefined || raw === '') {
      problems.push({ half, message: `the link holds no run ${half.toUpperCase()} (${half}=…); it starts from the default settings` });
      continue;
    }
    try {
      out[half] = decodeURIComponent(raw);
    } catch {
      problems.push({ half, message: `run ${half.toUpperCase()} is not percent-encoded correctly (${half}=${raw.slice(0, 40)}…); it starts from the default settings` });
    }
  }
  return out;
}
