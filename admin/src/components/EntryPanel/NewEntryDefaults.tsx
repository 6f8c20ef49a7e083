/**
 * The panel before the entry's first save (no documentId yet): what will apply, read-only — which
 * platforms, draft or published post, the delay — with a hint that the choice opens after saving.
 */
import { Box, Flex, Typography } from '@strapi/design-system';
import { isMissingRoute } from '../../api/errors';
import { useEntryApi } from '../../api/entry';
import { PLATFORM_IDS } from '../../api/types';
import { useRemote } from '../../hooks/useRemote';
import { platformName } from '../../utils/errorText';
import { useT } from '../../utils/useT';

export const NewEntryDefaults = ({ contentType }: { contentType: string }) => {
  const t = useT();
  const api = useEntryApi();
  const { data, error, rawError } = useRemote(() => api.defaults(contentType), [contentType]);
  const hint = t('panel.unsaved', 'Save the entry to choose where it is cross-posted. Until then the defaults from Settings → Cross-posting apply.');
  const platforms = PLATFORM_IDS.filter((p) => data?.platforms[p]);

  return (
    <Flex direction="column" alignItems="stretch" gap={2} width="100%" data-testid="crosspost-panel-new">
      {data ? (
        <Typography variant="sigma" textColor="neutral600" tag="h3">
          {t('panel.defaultsTitle', 'Defaults for a new entry')}
        </Typography>
      ) : null}
      {platforms.map((p) => {
        const d = data!.platforms[p]!;
        const minutes = Math.round((d.delayMs ?? 0) / 60000);
        const how = !d.enabled
          ? t('panel.defaultOff', 'not sent')
          : `${d.draft || d.mode === 'draft' ? t('options.draft', 'Draft') : t('options.publish', 'Published post')}, ${
              minutes > 0 ? t('panel.defaultDelay', '{minutes, plural, one {# minute} other {# minutes}} after publishing', { minutes }) : t('panel.defaultNow', 'at once')
            }`;
        return (
          <Box
            key={p}
            padding={2}
            hasRadius
            background="neutral100"
            data-testid="default-row"
            data-platform={p}
            data-enabled={String(!!d.enabled)}
            data-mode={d.draft || d.mode === 'draft' ? 'draft' : 'publish'}
            data-delay-ms={d.delayMs ?? 0}
          >
            <Typography variant="omega" fontWeight="bold" tag="p">{platformName(p)}</Typography>
            <Typography variant="pi" textColor={d.enabled ? 'neutral800' : 'neutral500'}>{how}</Typography>
          </Box>
        );
      })}
      {data && platforms.length === 0 ? (
        <Typography variant="pi" textColor="warning700">
          {t('panel.noPlatform', 'No platform is set up for this content type: see Settings → Cross-posting.')}
        </Typography>
      ) : null}
      {error && !isMissingRoute(rawError) ? <Typography variant="pi" textColor="danger600">{error}</Typography> : null}
      <Typography variant="pi" textColor="neutral600">
        {data ? t('panel.defaultsHint', 'You can change these for this entry after its first save (Options).') : hint}
      </Typography>
    </Flex>
  );
};
