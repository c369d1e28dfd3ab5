/** Totals, elapsed time and the keys, always at the bottom. */
import { Box } from 'ink';
import type { Line } from '../state/line.ts';
import { Lines } from './LineView.tsx';

export function Footer({ lines }: { lines: readonly Line[] }) {
  return (
    <Box flexDirection="column">
      <Lines lines={lines} />
    </Box>
  );
}
