/**
 * The visible window of rows (images or endpoints), with the selected row's details right
 * under it and markers counting the rows outside the window. Rows are flat siblings (no box
 * per row) to keep the layout tree small.
 */
import { Box } from 'ink';
import { Fragment } from 'react';
import type { Line } from '../state/line.ts';
import { AttemptChain } from './AttemptChain.tsx';
import { LineView } from './LineView.tsx';
import { MoreMarker } from './MoreMarker.tsx';

export interface RowListProps {
  rows: readonly { key: string; line: Line; selected: boolean }[];
  detail: readonly Line[];
  above: number;
  below: number;
}

export function RowList({ rows, detail, above, below }: RowListProps) {
  const markers = above > 0 || below > 0;
  return (
    <Box flexDirection="column">
      {markers && <MoreMarker count={above} direction="above" />}
      {rows.map((row) => (
        <Fragment key={row.key}>
          <LineView line={row.line} />
          {row.selected && <AttemptChain lines={detail} />}
        </Fragment>
      ))}
      {markers && <MoreMarker count={below} direction="below" />}
    </Box>
  );
}
