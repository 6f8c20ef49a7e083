/** Small helpers shared by the npm scripts (demo, test, bench); plain Node, no dependencies. */
const net = require('node:net');

/** True when something accepts TCP connections at host:port within the timeout. */
function reachable(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The Redis the plugin (or the tests) will use, as a URL object. */
function redisUrlFrom(env, fallbackVar = 'CROSSPOST_REDIS_URL') {
  return new URL(env[fallbackVar] || env.REDIS_URL || 'redis://127.0.0.1:6379');
}

const START_REDIS_HINT =
  '  redis-server --daemonize yes --save "" --appendonly no   (Debian/Ubuntu: sudo apt-get install redis-server)\n' +
  '  docker run -d -p 6379:6379 redis:7                      (with Docker)';

module.exports = { reachable, redisUrlFrom, START_REDIS_HINT };
