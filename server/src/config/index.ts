import { buildDefaultConfig } from './defaults';
import { parseConfig } from './schema';

export default {
  default: buildDefaultConfig,
  // Strapi calls this synchronously at load time; throwing stops startup with our message.
  validator: (config: unknown) => {
    parseConfig(config);
  },
};

export { parseConfig } from './schema';
export type { CrosspostConfig, ContentTypeConfig, PlatformId } from './schema';
