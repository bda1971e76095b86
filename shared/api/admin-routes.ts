// Operator routes (IAM-authorized in AWS): ingestion counts and the rejected objects with their reasons.
import { json } from '../http/conditional';
import type { HttpRequest, HttpResponse } from '../http/request';
import { route, router } from '../http/router';
import type { PageRequest, ReadStore, Rejection } from '../store/events-table';

const noStore = { 'cache-control': 'no-store' };

export function adminRoutes(store: ReadStore): (req: HttpRequest) => Promise<HttpResponse> {
  return router(
    route('GET', '/stats', async () => json(await store.stats(), 200, noStore)),
    route('GET', '/rejections', async () => {
      const rejections: Rejection[] = [];
      let after: PageRequest['after'];
      do {
        const page = await store.listRejections({ limit: 500, ...(after ? { after } : {}) });
        rejections.push(...page.items);
        after = page.next;
      } while (after);
      return json(rejections, 200, noStore);
    }),
  );
}
