// The browser side of the server: the hosted flow page at the session `url` (§7), the Web SDK bundles under /sdk,
// and in embedded/demo mode the /demo integrator page. Bundles are built once, in memory, when the app starts.
import { sessionId as sessionIdSchema } from '@tessera/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { isAppError } from '../../errors/app-error.ts';
import { listLevels } from '../../levels/levels-store.ts';
import { loadForApplicant } from '../../sessions/session-actions.ts';
import { initialFiles, sharedWebBundles, type WebBundles } from '../web/build-web-bundles.ts';
import { contentSecurityPolicy, pageHeaders } from '../web/content-security-policy.ts';
import { demoPublicKey } from '../web/demo-public-key.ts';
import { demoPage, hostedPage, notFoundPage, type PageAssets } from '../web/html-pages.ts';

export interface WebRouteOptions {
  /** Serve /demo (embedded mode, or TESSERA_DEMO=true). Also marks the hosted page `data-test-hooks`, so the browser
   *  tests may shorten its fallback timers (web-sdk hosted/test-hooks.ts). Off with TESSERA_DEMO=false or DATABASE_URL. */
  demo?: boolean;
  /** CSP frame-ancestors; '*' (default) lets any integrator embed the hosted page. */
  frameAncestors?: string;
}

const YEAR = 'public, max-age=31536000, immutable';

export function registerWebRoutes(app: FastifyInstance, deps: Deps, options: WebRouteOptions = {}): void {
  let bundles: WebBundles | null = null;
  let buildError: unknown = null;
  const building = sharedWebBundles()
    .then((built) => void (bundles = built))
    .catch((error: unknown) => {
      buildError = error;
      deps.log.error({ err: error }, 'the web bundles did not build: /verify and /sdk answer 503');
    });
  // Built before the server listens, so the first applicant never waits for esbuild.
  app.addHook('onReady', async () => void (await building));

  const ready = async (): Promise<WebBundles | null> => {
    await building;
    return buildError ? null : bundles;
  };
  const assetsFor = (b: WebBundles, entry: string): PageAssets => ({
    css: b.urlOf(`${entry}.css`),
    js: b.urlOf(`${entry}.js`),
    preload: initialFiles(b, `${entry}.js`).filter((name) => name !== `${entry}.js`).map((name) => `/sdk/${name}`),
  });
  const csp = (request: FastifyRequest) => contentSecurityPolicy({ publicUrl: deps.publicUrl, requestHost: request.headers.host, frameAncestors: options.frameAncestors });
  const unavailable = (reply: FastifyReply) => reply.status(503).header('retry-after', '5').type('text/plain; charset=utf-8').send('The verification page is starting. Please try again in a moment.');
  const notFound = (request: FastifyRequest, reply: FastifyReply, b: WebBundles | null) =>
    reply.status(404).headers(pageHeaders(csp(request))).send(notFoundPage(b ? b.urlOf('hosted.css') : null));

  app.get('/verify/:session_id', async (request, reply) => {
    const b = await ready();
    const id = (request.params as { session_id?: string }).session_id;
    if (!sessionIdSchema.safeParse(id).success) return notFound(request, reply, b);
    try {
      await loadForApplicant(deps, id!);
    } catch (error) {
      if (isAppError(error) && error.type === 'not_found') return notFound(request, reply, b);
      // A gone session still gets the page: it explains, in the applicant's language, that the link has ended.
      if (!(isAppError(error) && error.type === 'session_gone')) throw error;
    }
    if (!b) return unavailable(reply);
    return reply.headers(pageHeaders(csp(request))).send(hostedPage(assetsFor(b, 'hosted'), { testHooks: options.demo ?? false }));
  });

  app.get('/sdk/:file', async (request, reply) => {
    const b = await ready();
    if (!b) return unavailable(reply);
    const asset = b.assets.get((request.params as { file: string }).file);
    if (!asset) return reply.status(404).type('text/plain; charset=utf-8').send('no such file');
    const query = request.query as { v?: string };
    // Chunks are content-hashed; entries requested with their current version are too. Anything else revalidates.
    const forever = asset.hashed || (query.v !== undefined && b.urlOf(asset.name).endsWith(`v=${query.v}`));
    void reply.headers({
      'content-type': asset.contentType,
      etag: asset.etag,
      'cache-control': forever ? YEAR : 'public, max-age=300, must-revalidate',
      'x-content-type-options': 'nosniff',
      // Integrators load the launcher from their own pages as a module script: that fetch is CORS.
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    });
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    return reply.send(asset.body);
  });

  if (options.demo) {
    const demoKey = demoPublicKey(deps.db);
    app.addHook('onClose', async () => {
      await demoKey.revoke().catch((err: unknown) => deps.log.warn({ err }, 'could not revoke the demo key'));
    });
    app.get('/demo', async (request, reply) => {
      const b = await ready();
      if (!b) return unavailable(reply);
      const { key, organizationId } = await demoKey.get();
      const levels = (await listLevels(deps.db, organizationId)).map((l) => l.name);
      return reply.headers(pageHeaders(csp(request))).send(demoPage({ assets: assetsFor(b, 'demo'), publicKey: key, levels }));
    });
  }
}
