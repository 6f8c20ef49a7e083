export const PLUGIN_ID = 'crosspost';
