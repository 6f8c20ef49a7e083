import { Badge } from '@strapi/design-system';
import { statusTone } from '../utils/errorText';
import { useT } from '../utils/useT';

const TONES = {
  success: { backgroundColor: 'success100', textColor: 'success700' },
  danger: { backgroundColor: 'danger100', textColor: 'danger700' },
  warning: { backgroundColor: 'warning100', textColor: 'warning700' },
  secondary: { backgroundColor: 'secondary100', textColor: 'secondary700' },
  primary: { backgroundColor: 'primary100', textColor: 'primary700' },
  neutral: { backgroundColor: 'neutral150', textColor: 'neutral700' },
} as const;

/** A publication status as a coloured badge, with its name translated. */
export const StatusBadge = ({ status }: { status: string }) => {
  const t = useT();
  const tone = TONES[statusTone(status)];
  return (
    <Badge {...tone} data-status={status}>
      {t(`status.${status}`, status)}
    </Badge>
  );
};
