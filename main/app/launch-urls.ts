/**
 * URLs given on the command line (a second launch, "Open with Skein", a browser
 * handing over a link): every http(s) argument, switches and files ignored.
 */
export function urlsFromArgv(argv: readonly string[]): string[] {
  const urls: string[] = [];
  for (const argument of argv) {
    if (typeof argument !== 'string' || argument.startsWith('-') || argument.length > 8192) continue;
    try {
      const url = new URL(argument);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !urls.includes(url.href)) urls.push(url.href);
    } catch {
      // Not a URL: the executable, a file, the app path.
    }
  }
  return urls;
}
