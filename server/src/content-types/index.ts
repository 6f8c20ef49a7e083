import publication from './publication/schema.json';
import attempt from './attempt/schema.json';
import entrySetting from './entry-setting/schema.json';
import backfill from './backfill/schema.json';
import setting from './setting/schema.json';
import webhookEndpoint from './webhook-endpoint/schema.json';
import webhookDelivery from './webhook-delivery/schema.json';
import statsDay from './stats-day/schema.json';
import statsHour from './stats-hour/schema.json';

// Keys must equal each schema's info.singularName.
export default {
  publication: { schema: publication },
  attempt: { schema: attempt },
  'entry-setting': { schema: entrySetting },
  backfill: { schema: backfill },
  setting: { schema: setting },
  'webhook-endpoint': { schema: webhookEndpoint },
  'webhook-delivery': { schema: webhookDelivery },
  'stats-day': { schema: statsDay },
  'stats-hour': { schema: statsHour },
};

export const PUBLICATION_UID = 'plugin::crosspost.publication' as const;
export const ATTEMPT_UID = 'plugin::crosspost.attempt' as const;
export const ENTRY_SETTING_UID = 'plugin::crosspost.entry-setting' as const;
export const BACKFILL_UID = 'plugin::crosspost.backfill' as const;
export const SETTING_UID = 'plugin::crosspost.setting' as const;
export const WEBHOOK_ENDPOINT_UID = 'plugin::crosspost.webhook-endpoint' as const;
export const WEBHOOK_DELIVERY_UID = 'plugin::crosspost.webhook-delivery' as const;
export const STATS_DAY_UID = 'plugin::crosspost.stats-day' as const;
export const STATS_HOUR_UID = 'plugin::crosspost.stats-hour' as const;
