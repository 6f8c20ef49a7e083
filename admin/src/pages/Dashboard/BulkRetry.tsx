/**
 * "Retry selected" and "Retry all failed" (for the current filter). The confirmation says how many rows;
 * the answer is per row ({requeued, skipped}). Buttons are disabled while a request is in flight so a
 * double click never queues twice (the server also refuses to requeue a row that is already queued).
 */
import { useState } from 'react';
import { Button, Flex } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { usePublicationsApi } from '../../api/publications';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { errorMessage, isMissingRoute } from '../../api/errors';
import type { BulkRetryResult, ListParams } from '../../api/types';
import { toFilter } from '../../utils/listQuery';
import { platformName } from '../../utils/errorText';
import { useT } from '../../utils/useT';

export const BulkRetry = ({ selected, params, onDone }: { selected: number[]; params: ListParams; onDone: () => void }) => {
  const t = useT();
  const api = usePublicationsApi();
  const { toggleNotification } = useNotification();
  const [busy, setBusy] = useState(false);
  const [failedCount, setFailedCount] = useState<number | null>(null);
  const [open, setOpen] = useState(false);

  const report = (r: BulkRetryResult) => {
    const reasons = [...new Set(r.skipped.map((s) => s.reason))].slice(0, 3).join('; ');
    toggleNotification({
      type: r.requeued.length ? 'success' : 'warning',
      message:
        t('bulk.result', '{requeued, plural, =0 {Nothing queued} one {# publication queued again} other {# publications queued again}}{skipped, plural, =0 {} other {, # skipped}}.', {
          requeued: r.requeued.length,
          skipped: r.skipped.length,
        }) + (reasons ? ` ${reasons}` : ''),
    });
  };

  const run = async (body: { ids: number[] } | { filter: Record<string, string | undefined> }) => {
    setBusy(true);
    try {
      try {
        report(await api.bulkRetry(body));
      } catch (err) {
        // A server without the bulk route: retry the rows one by one.
        if (!isMissingRoute(err)) throw err;
        const ids = 'ids' in body ? body.ids : await failedIds(body.filter);
        const out: BulkRetryResult = { requeued: [], skipped: [] };
        for (const id of ids) {
          try {
            await api.retry(id);
            out.requeued.push(id);
          } catch (e) {
            out.skipped.push({ id, reason: errorMessage(e) });
          }
        }
        report(out);
      }
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err) });
    } finally {
      setBusy(false);
      setOpen(false);
      onDone();
    }
  };

  const failedIds = async (filter: Record<string, string | undefined>): Promise<number[]> => {
    const ids: number[] = [];
    for (let page = 1; ; page += 1) {
      const { rows, pagination } = await api.list({ ...filter, page, pageSize: 100 });
      ids.push(...rows.map((r) => r.id));
      if (page >= pagination.pageCount) return ids;
    }
  };

  const askAll = async () => {
    setBusy(true);
    try {
      const { pagination } = await api.list({ ...toFilter(params), page: 1, pageSize: 1 });
      setFailedCount(pagination.total);
      setOpen(true);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const where = params.platform ? t('bulk.onPlatform', ' on {platform}', { platform: platformName(params.platform) }) : '';
  return (
    <Flex gap={2}>
      {selected.length ? (
        <Button variant="secondary" startIcon={<ArrowClockwise />} loading={busy} onClick={() => run({ ids: selected })}>
          {t('bulk.retrySelected', 'Retry selected ({count})', { count: selected.length })}
        </Button>
      ) : null}
      <Button variant="tertiary" startIcon={<ArrowClockwise />} disabled={busy} onClick={askAll}>
        {t('bulk.retryAll', 'Retry all failed')}
      </Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title={t('bulk.confirmTitle', 'Retry failed publications')}
        message={
          failedCount
            ? t('bulk.confirm', 'Retry {count, plural, one {# failed publication} other {# failed publications}}{where}?', { count: failedCount, where })
            : t('bulk.none', 'No failed publication matches the current filters.')
        }
        action={failedCount ? { label: t('bulk.confirmAction', 'Retry {count}', { count: failedCount }), busy, onConfirm: () => run({ filter: toFilter(params) }) } : undefined}
      />
    </Flex>
  );
};
