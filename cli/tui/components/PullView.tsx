/** The pull/scenario screen: header, image rows with the attempt chain, skipped mirrors, expectations, footer. */
import { Box } from 'ink';
import type { PullScreen } from '../state/pull-screen.ts';
import { ExpectationList } from './ExpectationList.tsx';
import { Footer } from './Footer.tsx';
import { RowList } from './RowList.tsx';
import { LineView, Lines } from './LineView.tsx';

export function PullView({ screen }: { screen: PullScreen }) {
  return (
    <Box flexDirection="column">
      <LineView line={screen.header} />
      <RowList rows={screen.rows} detail={screen.detail} above={screen.above} below={screen.below} />
      <Lines lines={screen.skipped} />
      <ExpectationList lines={screen.expectations} />
      <Footer lines={screen.footer} />
    </Box>
  );
}
