// @ts-check
// URL state: the share link lives in location.hash. Parsing and validation
// are the core's (through the worker); this module only reads and writes it.
// The hash goes to the core as it is: the core decodes each field once (a
// decode here too would turn "seed=1%26hidden%3D32" into two fields).
export function readLink() {
  return location.hash.slice(1);
}

export function writeLink(link) {
  history.replaceState(null, '', `#${link}`);
}

export function fullUrl(link) {
  return `${location.origin}${location.pathname}#${link}`;
}

// Copies the link; where the clipboard is not available (insecure origin,
// denied permission) the caller still shows the URL for manual copying.
export async function copyLink(link) {
  const url = fullUrl(link);
  try {
    await navigator.clipboard.writeText(url);
    return { url, copied: true };
  } catch {
    return { url, copied: false };
  }
}
