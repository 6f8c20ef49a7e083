/**
 * Published and failed per day over the last 30 days, one row of bars per platform. Hand-drawn SVG
 * (Strapi's own widgets draw their charts the same way; the admin ships no chart library).
 */
import { Box, Flex, Typography } from '@strapi/design-system';
import type { PlatformId, Stats } from '../../api/types';
import { platformName } from '../../utils/errorText';
import { useT } from '../../utils/useT';

const DAYS = 30;
const W = 600;
const H = 36;
const GAP = 2;

export function lastDays(now: Date, n = DAYS): string[] {
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i -= 1) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - i));
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

export const OutcomesChart = ({ stats }: { stats: Stats }) => {
  const t = useT();
  const days = lastDays(new Date());
  const platforms: PlatformId[] = stats.platforms.filter((p) => p.configured).map((p) => p.id);
  const byKey = new Map(stats.daily.map((d) => [`${d.platform}|${d.day}`, d]));
  const max = Math.max(1, ...stats.daily.map((d) => d.published + d.failed));
  const bw = W / DAYS - GAP;
  return (
    <Box background="neutral0" shadow="tableShadow" hasRadius padding={4} data-testid="outcomes-chart">
      <Flex justifyContent="space-between" alignItems="baseline">
        <Typography variant="delta" tag="h2">
          {t('chart.title', 'Last 30 days')}
        </Typography>
        <Flex gap={3}>
          <Flex gap={1}>
            <svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="#328048" /></svg>
            <Typography variant="pi">{t('status.published', 'published')}</Typography>
          </Flex>
          <Flex gap={1}>
            <svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="#d02b20" /></svg>
            <Typography variant="pi">{t('status.failed', 'failed')}</Typography>
          </Flex>
        </Flex>
      </Flex>
      {platforms.map((p) => {
        const totals = days.reduce(
          (acc, day) => {
            const d = byKey.get(`${p}|${day}`);
            return { published: acc.published + (d?.published ?? 0), failed: acc.failed + (d?.failed ?? 0) };
          },
          { published: 0, failed: 0 },
        );
        const label = t('chart.row', '{platform}: {published} published, {failed} failed in 30 days', { platform: platformName(p), ...totals });
        return (
          <Box key={p} paddingTop={3}>
            <Typography variant="pi" fontWeight="bold">{label}</Typography>
            <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} role="img" aria-label={label} preserveAspectRatio="none">
              <line x1="0" y1={H - 0.5} x2={W} y2={H - 0.5} stroke="#dcdce4" />
              {days.map((day, i) => {
                const d = byKey.get(`${p}|${day}`);
                const pub = ((d?.published ?? 0) / max) * (H - 4);
                const fail = ((d?.failed ?? 0) / max) * (H - 4);
                const x = i * (bw + GAP);
                return (
                  <g key={day}>
                    <title>{`${day}: ${d?.published ?? 0} / ${d?.failed ?? 0}`}</title>
                    {pub > 0 ? <rect x={x} y={H - pub} width={bw} height={pub} fill="#328048" /> : null}
                    {fail > 0 ? <rect x={x} y={H - pub - fail} width={bw} height={fail} fill="#d02b20" /> : null}
                  </g>
                );
              })}
            </svg>
          </Box>
        );
      })}
    </Box>
  );
};
