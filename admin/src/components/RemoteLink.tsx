import { Link } from '@strapi/design-system';
import { ExternalLink } from '@strapi/icons';
import { platformName } from '../utils/errorText';
import { useT } from '../utils/useT';

/** Link to the live post on the platform (opens in a new tab). */
export const RemoteLink = ({ url, platform, compact = false }: { url: string | null; platform: string; compact?: boolean }) => {
  const t = useT();
  if (!url) return null;
  const label = t('link.view', 'View on {platform}', { platform: platformName(platform) });
  return (
    <Link href={url} isExternal endIcon={<ExternalLink />} aria-label={label} data-testid="remote-link">
      {compact ? t('link.open', 'Open') : label}
    </Link>
  );
};
