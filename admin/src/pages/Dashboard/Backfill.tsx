/**
 * Backfill: choose a content type and platforms, see how many published entries are not cross-posted yet
 * and roughly how long the platforms' rate limits make it take, start it, watch its progress.
 */
import { useEffect, useState } from 'react';
import { Box, Button, Checkbox, Field, Flex, Modal, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useBackfillApi } from '../../api/backfill';
import { errorMessage } from '../../api/errors';
import type { Backfill, BackfillEstimate, ContentTypeInfo, PlatformId } from '../../api/types';
import { useRemote } from '../../hooks/useRemote';
import { ModalCloseButton } from '../../components/TableParts';
import { platformName } from '../../utils/errorText';
import { useT, type Translate } from '../../utils/useT';

export function duration(seconds: number, t: Translate): string {
  if (seconds < 90) return t('duration.seconds', '{n, plural, one {# second} other {# seconds}}', { n: Math.max(1, Math.round(seconds)) });
  if (seconds < 5400) return t('duration.minutes', '{n, plural, one {# minute} other {# minutes}}', { n: Math.round(seconds / 60) });
  return t('duration.hours', '{n, plural, one {# hour} other {# hours}}', { n: Math.round(seconds / 3600) });
}

export const BackfillProgress = ({ backfill, onCancel }: { backfill: Backfill; onCancel?: () => void }) => {
  const t = useT();
  const pct = Math.round((backfill.progress ?? 0) * 100);
  return (
    <Box data-testid="backfill-progress" data-status={backfill.status} data-progress={pct}>
      <Flex justifyContent="space-between" gap={2}>
        <Typography variant="pi" fontWeight="bold">
          {t('backfill.progressLabel', 'Backfill {status}: {pct}%', { status: t(`backfill.status.${backfill.status}`, backfill.status), pct })}
        </Typography>
        {backfill.status === 'running' && onCancel ? (
          <Button size="S" variant="tertiary" onClick={onCancel}>
            {t('common.cancel', 'Cancel')}
          </Button>
        ) : null}
      </Flex>
      <Box paddingTop={2} paddingBottom={1}>
        <Box
          role="progressbar"
          aria-label={t('backfill.progressAria', 'Backfill progress')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          background="neutral150"
          hasRadius
          height="8px"
          width="100%"
          overflow="hidden"
        >
          <Box background={backfill.status === 'failed' ? 'danger600' : 'primary600'} height="100%" style={{ width: `${pct}%`, transition: 'width 0.5s' }} />
        </Box>
      </Box>
      <Typography variant="pi" textColor="neutral600">
        {t('backfill.counts', '{published} published, {failed} failed, {skipped} skipped of {planned} planned', {
          published: backfill.published,
          failed: backfill.failed,
          skipped: backfill.skipped,
          planned: backfill.planned,
        })}
      </Typography>
    </Box>
  );
};

export const BackfillModal = ({ contentTypes, platforms, onClose, onStarted }: { contentTypes: ContentTypeInfo[]; platforms: PlatformId[]; onClose: () => void; onStarted: () => void }) => {
  const t = useT();
  const api = useBackfillApi();
  const { toggleNotification } = useNotification();
  const [contentType, setContentType] = useState(contentTypes[0]?.uid ?? '');
  const [chosen, setChosen] = useState<PlatformId[]>(platforms);
  const [estimate, setEstimate] = useState<BackfillEstimate | null>(null);
  const [estimateError, setEstimateError] = useState<string | null>(null);
  const [started, setStarted] = useState<Backfill | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!contentType) return;
    let live = true;
    setEstimate(null);
    setEstimateError(null);
    api.estimate(contentType, chosen).then(
      (e) => live && setEstimate(e),
      (err) => live && setEstimateError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [api, contentType, chosen]);

  const progress = useRemote(() => api.get(started!.id), [started?.id], {
    enabled: !!started,
    pollMs: 1500,
    shouldPoll: (b) => !b || b.status === 'running',
  });
  const current = progress.data ?? started;

  const start = async () => {
    setBusy(true);
    try {
      setStarted(await api.start(contentType, chosen));
      onStarted();
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal.Root open onOpenChange={(o: boolean) => !o && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('backfill.title', 'Cross-post existing entries')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Field.Root name="backfill-contentType">
              <Field.Label>{t('table.contentType', 'Content type')}</Field.Label>
              <SingleSelect value={contentType} onChange={(v: string | number) => setContentType(String(v))} disabled={!!started}>
                {contentTypes.map((c) => (
                  <SingleSelectOption key={c.uid} value={c.uid}>
                    {c.displayName}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
            <Flex gap={4} role="group" aria-label={t('backfill.platforms', 'Platforms')}>
              {platforms.map((p) => (
                <Checkbox
                  key={p}
                  disabled={!!started}
                  checked={chosen.includes(p)}
                  onCheckedChange={(v: boolean) => setChosen(v ? [...chosen, p] : chosen.filter((x) => x !== p))}
                >
                  {platformName(p)}
                </Checkbox>
              ))}
            </Flex>
            {estimateError ? <Typography textColor="danger600">{estimateError}</Typography> : null}
            {estimate ? (
              <Typography tag="p" data-testid="backfill-estimate">
                {t('backfill.estimate', '{found} published entries, {alreadyPosted} already cross-posted: {toPost} to post.', { ...estimate })}{' '}
                {estimate.toPost > 0
                  ? t('backfill.eta', "The platforms' rate limits make this take about {time}.", { time: duration(estimate.estimatedSeconds, t) })
                  : ''}
              </Typography>
            ) : null}
            {current ? <BackfillProgress backfill={current} /> : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <ModalCloseButton />
          {!started ? (
            <Button loading={busy} disabled={!contentType || !chosen.length || !estimate || estimate.toPost === 0} onClick={start}>
              {t('backfill.start', 'Start backfill')}
            </Button>
          ) : null}
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
