/** The selected image's attempt chain, as laid out by attempt-chain-layout.ts. */
import { Box } from 'ink';
import type { Line } from '../state/line.ts';
import { Lines } from './LineView.tsx';

export function AttemptChain({ lines }: { lines: readonly Line[] }) {
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column">
      <Lines lines={lines} />
    </Box>
  );
}
