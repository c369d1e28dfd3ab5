/** A scenario's expectations, met or not (laid out by `expectationLines`). */
import { Box } from 'ink';
import type { Line } from '../state/line.ts';
import { Lines } from './LineView.tsx';

export function ExpectationList({ lines }: { lines: readonly Line[] }) {
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column">
      <Lines lines={lines} />
    </Box>
  );
}
