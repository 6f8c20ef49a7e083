module.exports = ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET', 'playground-admin-jwt-secret') },
  apiToken: { salt: env('API_TOKEN_SALT', 'playground-api-token-salt') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', 'playground-transfer-salt') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', 'playground-encryption-key-32chars!') },
  // Tests log in many times; the login limiter would block them.
  rateLimit: { enabled: env.bool('ADMIN_RATE_LIMIT', false) },
  flags: { nps: false, promoteEE: false },
});
