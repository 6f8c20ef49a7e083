/** `t('dashboard.title', 'Cross-posting')`: a formatMessage bound to the plugin's translation prefix. */
import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import { PLUGIN_ID } from '../pluginId';

export type Translate = (key: string, defaultMessage: string, values?: Record<string, string | number | Date | null | undefined>) => string;

export function useT(): Translate {
  const { formatMessage } = useIntl();
  return useCallback(
    (key, defaultMessage, values) => formatMessage({ id: `${PLUGIN_ID}.${key}`, defaultMessage }, values as Record<string, string | number>),
    [formatMessage],
  );
}
