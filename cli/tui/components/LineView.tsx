/** Renders one laid-out line: each segment in its tone's colour (none under NO_COLOR). */
import { Text } from 'ink';
import type { Line } from '../state/line.ts';
import { toneColor } from '../theme.ts';
import { useTheme } from './theme-context.ts';

export function LineView({ line }: { line: Line }) {
  const theme = useTheme();
  return (
    <Text wrap="truncate-end">
      {line.map((seg, i) => (
        <Text key={i} color={toneColor(theme, seg.tone)} bold={theme.color && seg.bold === true}>
          {seg.text}
        </Text>
      ))}
    </Text>
  );
}

/** Several lines, one under the other. */
export function Lines({ lines }: { lines: readonly Line[] }) {
  return (
    <>
      {lines.map((line, i) => (
        <LineView key={i} line={line} />
      ))}
    </>
  );
}
