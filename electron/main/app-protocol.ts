// Maps app://holdfast/<path> to files of the renderer build, refusing anything outside it.
import { extname, join, normalize, relative, sep } from 'node:path';
import { appHost, appScheme } from './security';

/** The file to serve for a request, or null when the request is not for the app or leaves its folder. */
export function resolveAppAsset(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  // Client-side routes have no extension and are answered with the app itself.
  const wanted = pathname === '/' || extname(pathname) === '' ? 'index.html' : pathname;
  const file = normalize(join(rendererDir, wanted));
  const inside = relative(rendererDir, file);
  if (inside === '' || inside.startsWith('..') || inside.split(sep).includes('..')) return null;
  return file;
}

export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

/**
 * Serves the renderer build under app://holdfast/ with the app's security headers. `fetchFile`
 * is Electron's `net.fetch` on a file URL in the app, and a plain reader in tests.
 */
export function registerAppProtocol(protocol: ProtocolLike, rendererDir: string, fetchFile: (file: string) => Promise<Response>, contentSecurityPolicy: string): void {
  protocol.handle(appScheme, async (request) => {
    const file = resolveAppAsset(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    let response: Response;
    try {
      response = await fetchFile(file);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
