/** RBAC actions (contract): plugin::crosspost.read | publish | settings. */
export const ACTIONS = {
  read: 'plugin::crosspost.read',
  publish: 'plugin::crosspost.publish',
  settings: 'plugin::crosspost.settings',
} as const;

export const actionDefinitions = [
  { section: 'plugins', displayName: 'Read cross-posting status', uid: 'read', pluginName: 'crosspost' },
  { section: 'plugins', displayName: 'Publish, retry, cancel and confirm', uid: 'publish', pluginName: 'crosspost' },
  { section: 'plugins', displayName: 'Settings', uid: 'settings', pluginName: 'crosspost' },
];
