/**
 * Finding downloadable links in what a person pastes or drops: one per line,
 * or several in a paragraph of text. Only http(s) URLs, each once, in order.
 */

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;

export function extractUrls(text: string): string[] {
  const seen = new Set<string>();
  const urls: string[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    // Sentences end links with punctuation that is rarely part of them.
    const candidate = match[0].replace(/[),.;:!?\]]+$/, '');
    if (!isHttpUrl(candidate) || seen.has(candidate)) continue;
    seen.add(candidate);
    urls.push(candidate);
  }
  return urls;
}

export function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export interface ParsedLine {
  line: number;
  text: string;
  valid: boolean;
}

/** Every non-empty line of the Add dialog's box, and whether it can be downloaded. */
export function parseUrlLines(text: string): ParsedLine[] {
  return text
    .split(/\r?\n/)
    .map((raw, index) => ({ line: index + 1, text: raw.trim() }))
    .filter((entry) => entry.text.length > 0)
    .map((entry) => ({ ...entry, valid: isHttpUrl(entry.text) }));
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** "Name: value" lines into a header record; returns the first unreadable line instead when there is one. */
export function parseHeaderLines(text: string): { headers: Record<string, string> } | { badLine: string } {
  const headers: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return { badLine: line };
    headers[name] = line.slice(colon + 1).trim();
  }
  return { headers };
}
