/** The probe and load boards: header, summary, column titles, endpoint rows, footer. */
import { Box } from 'ink';
import type { BoardScreen } from '../state/board-screen.ts';
import { Footer } from './Footer.tsx';
import { LineView, Lines } from './LineView.tsx';
import { RowList } from './RowList.tsx';

export function BoardView({ screen }: { screen: BoardScreen }) {
  return (
    <Box flexDirection="column">
      <LineView line={screen.header} />
      <Lines lines={screen.summary} />
      <LineView line={screen.tableHeader} />
      <RowList rows={screen.rows} detail={screen.detail} above={screen.above} below={screen.below} />
      <Footer lines={screen.footer} />
    </Box>
  );
}
