import { Flex, Typography } from '@strapi/design-system';
import type { PublicationView } from '../api/types';
import { nextStep } from '../utils/errorText';
import { useT } from '../utils/useT';

/** The last error in words, followed by what to do next. */
export const ErrorText = ({ row, compact = false }: { row: PublicationView; compact?: boolean }) => {
  const t = useT();
  const step = nextStep(row, t);
  if (!row.lastError && !step) return null;
  return (
    <Flex direction="column" alignItems="flex-start" gap={1} data-testid="error-text">
      {row.lastError ? (
        <Typography variant={compact ? 'pi' : 'omega'} textColor={row.status === 'failed' ? 'danger600' : 'neutral800'} style={{ overflowWrap: 'anywhere' }}>
          {row.lastError}
        </Typography>
      ) : null}
      {step ? (
        <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
          {step}
        </Typography>
      ) : null}
    </Flex>
  );
};
