/**
 * strapi-plugin-crosspost server entry. The pipeline, in the order a publish travels through it:
 * events/ → planner/ → queue/ → worker/ → platforms/ → notify/, with reconciler/ as the safety net.
 */
import register from './register';
import bootstrap from './bootstrap';
import destroy from './destroy';
import config from './config';
import contentTypes from './content-types';
import controllers from './controllers';
import routes from './routes';
import services from './services';

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes,
  controllers,
  routes,
  services,
  policies: {},
  middlewares: {},
};
