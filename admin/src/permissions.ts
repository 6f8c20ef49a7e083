/** RBAC actions (contract), the same strings as server/src/permissions.ts (a unit test keeps them equal). */
export const PERMISSIONS = {
  read: [{ action: 'plugin::crosspost.read', subject: null }],
  publish: [{ action: 'plugin::crosspost.publish', subject: null }],
  settings: [{ action: 'plugin::crosspost.settings', subject: null }],
};
