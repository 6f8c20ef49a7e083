/** What each platform will receive (fields + exact Markdown) and the pre-flight warnings, before anything is sent. */
import { Box, Flex, Loader, Modal, Tabs, Typography } from '@strapi/design-system';
import { useEntryApi, type EntryRef } from '../../api/entry';
import { isMissingRoute } from '../../api/errors';
import { useRemote } from '../../hooks/useRemote';
import { ModalCloseButton } from '../TableParts';
import { platformName } from '../../utils/errorText';
import { useT } from '../../utils/useT';

const show = (v: unknown): string => (v == null || v === '' || (Array.isArray(v) && v.length === 0) ? '—' : Array.isArray(v) ? v.map(show).join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));

export const PreviewModal = ({ entry, onClose }: { entry: EntryRef; onClose: () => void }) => {
  const t = useT();
  const api = useEntryApi();
  const remote = useRemote(() => api.preview(entry), [entry.contentType, entry.documentId, entry.locale]);
  const items = remote.data ?? [];
  return (
    <Modal.Root open onOpenChange={(o: boolean) => !o && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('preview.title', 'What each platform will receive')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {remote.loading ? <Loader small>{t('common.loading', 'Loading…')}</Loader> : null}
          {remote.error ? (
            <Typography textColor="danger600">
              {isMissingRoute(remote.rawError) ? t('preview.unavailable', 'This server does not offer a preview yet.') : remote.error}
            </Typography>
          ) : null}
          {items.length ? (
            <Tabs.Root defaultValue={items[0].platform}>
              <Tabs.List aria-label={t('preview.platforms', 'Platforms')}>
                {items.map((i) => (
                  <Tabs.Trigger key={i.platform} value={i.platform}>
                    {platformName(i.platform)}
                  </Tabs.Trigger>
                ))}
              </Tabs.List>
              {items.map((i) => (
                <Tabs.Content key={i.platform} value={i.platform}>
                  <Flex direction="column" alignItems="stretch" gap={3} paddingTop={4} data-testid={`preview-${i.platform}`}>
                    <Typography variant="pi" textColor={i.willPost ? 'success600' : 'neutral600'}>
                      {!i.configured
                        ? t('preview.notConfigured', '{platform} is not configured: nothing will be sent.', { platform: platformName(i.platform) })
                        : i.willPost
                          ? t('preview.willPost', 'Will be sent as {mode}.', { mode: i.mode === 'draft' ? t('options.draft', 'Draft') : t('options.publish', 'Published post') })
                          : t('preview.willNotPost', 'Will not be sent (turned off for this entry).')}
                    </Typography>
                    {[...i.blocking.map((w) => ['danger', w] as const), ...i.warnings.map((w) => ['warning', w] as const)].map(([tone, w]) => (
                      <Box key={w} padding={2} hasRadius background={tone === 'danger' ? 'danger100' : 'warning100'}>
                        <Typography variant="pi" textColor={tone === 'danger' ? 'danger700' : 'warning700'}>{w}</Typography>
                      </Box>
                    ))}
                    <Box tag="dl">
                      {Object.entries(i.fields ?? {}).map(([k, v]) => (
                        <Flex key={k} gap={2} alignItems="baseline">
                          <Typography tag="dt" variant="sigma" textColor="neutral600" style={{ minWidth: 120 }}>{k}</Typography>
                          <Typography tag="dd" variant="omega" style={{ overflowWrap: 'anywhere' }}>{show(v)}</Typography>
                        </Flex>
                      ))}
                    </Box>
                    {i.markdown != null ? (
                      <Box background="neutral100" padding={3} hasRadius>
                        <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', fontSize: 12, margin: 0 }} aria-label={t('preview.markdown', 'Markdown')}>
                          {i.markdown}
                        </pre>
                      </Box>
                    ) : null}
                  </Flex>
                </Tabs.Content>
              ))}
            </Tabs.Root>
          ) : null}
        </Modal.Body>
        <Modal.Footer>
          <ModalCloseButton />
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
