import publication from './publication/schema.json';
import attempt from './attempt/schema.json';
import entrySetting from './entry-setting/schema.json';

// Keys must equal each schema's info.singularName.
export default {
  publication: { schema: publication },
  attempt: { schema: attempt },
  'entry-setting': { schema: entrySetting },
};

export const PUBLICATION_UID = 'plugin::crosspost.publication' as const;
export const ATTEMPT_UID = 'plugin::crosspost.attempt' as const;
export const ENTRY_SETTING_UID = 'plugin::crosspost.entry-setting' as const;
