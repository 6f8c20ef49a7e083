/** The dashboard's numbers, and the rebuild of the rollups they are read from. */
import type { Core } from '@strapi/strapi';
import { getRuntime } from '../runtime';
import { computeStats, type StatsWindow } from '../stats/stats';
import { rebuildRollups } from '../stats/rollups';

const stats = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** `now`: the end of the window (the current time unless a test sets it). */
  summary: (window: StatsWindow, now?: number) => computeStats(getRuntime(strapi), window, now),
  /** Recomputes the rollups from the rows: for rows written outside the plugin (an import, a restore, a manual fix). */
  rebuildRollups: () => rebuildRollups(strapi),
});

export default stats;
