// Operator routes (IAM-authorized in AWS): ingestion counts and the rejected objects with their reasons.
import { json } from '../http/conditional';
import type { HttpRequest, HttpResponse } from '../http/request';
import { route, router } from '../http/router';
import type { ReadStore } from '../store/events-table';
import { type OperatorDeps, operatorRoutes } from './operator-routes';
import { type ReprocessRouteDeps, reprocessRoutes } from './reprocess-routes';

const noStore = { 'cache-control': 'no-store' };

export function adminRoutes(
  store: ReadStore,
  operator: OperatorDeps,
  reprocess?: ReprocessRouteDeps,
): (req: HttpRequest) => Promise<HttpResponse> {
  return router(
    route('GET', '/stats', async () => json(await store.stats(), 200, noStore)),
    ...operatorRoutes(operator),
    ...(reprocess ? reprocessRoutes(reprocess) : []),
  );
}
