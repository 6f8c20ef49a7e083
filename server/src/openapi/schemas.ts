/** Which zod schema each route validates (the same ones its controller passes to parseInput). */
import type { ZodTypeAny } from 'zod';
import * as api from '../controllers/api-validation';
import * as v from '../controllers/validation';
import * as wh from '../controllers/webhooks-validation';
import { settingsUpdateSchema, testConnectionSchema } from '../controllers/settings-input';

export interface RouteSchemas {
  query?: ZodTypeAny;
  body?: ZodTypeAny;
}

/** Keyed by handler; routes not listed take no query or body. Path params come from the path itself. */
export const routeSchemas: Record<string, RouteSchemas> = {
  'publish.publish': { body: api.publishBody },
  'publish.attempts': { query: api.attemptsQuery },
  'bulk.retry': { body: api.bulkRetryBody },
  'stats.summary': { query: api.statsQuery },
  'preview.show': { query: api.previewQuery },
  'backfill.estimate': { query: api.backfillEstimateQuery },
  'backfill.start': { body: api.backfillBody },
  'publication.list': { query: v.listQuerySchema },
  'publication.confirm': { body: v.confirmBodySchema },
  'publication.sync': { body: v.syncBodySchema },
  'publication.getSettings': { query: v.entryTargetSchema },
  'publication.getDefaults': { query: v.entryDefaultsQuerySchema },
  'publication.entryStatuses': { query: v.entryStatusesQuerySchema },
  'publication.setSettings': { body: v.entrySettingsBodySchema },
  'webhooks.createEndpoint': { body: wh.createEndpointSchema },
  'webhooks.updateEndpoint': { body: wh.updateEndpointSchema },
  'webhooks.listDeliveries': { query: wh.deliveriesQuerySchema },
  'webhooks.replayRange': { body: wh.replayRangeSchema },
  'settings.update': { body: settingsUpdateSchema },
  'settings.testConnection': { body: testConnectionSchema },
};
