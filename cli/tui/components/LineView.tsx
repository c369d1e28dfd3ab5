/**
 * Renders one laid-out line: each segment in its tone's colour (none under NO_COLOR).
 * Adjacent segments that end up with the same style are merged first: Ink's cost grows with
 * the number of Text nodes, and a plain line becomes a single node.
 */
import { Text } from 'ink';
import type { Line } from '../state/line.ts';
import { toneColor, type Theme } from '../theme.ts';
import { useTheme } from './theme-context.ts';

interface Styled {
  text: string;
  color: string | undefined;
  bold: boolean;
}

export function styleLine(line: Line, theme: Theme): Styled[] {
  const out: Styled[] = [];
  for (const seg of line) {
    const color = toneColor(theme, seg.tone);
    const bold = theme.color && seg.bold === true;
    const last = out[out.length - 1];
    if (last !== undefined && last.color === color && last.bold === bold) last.text += seg.text;
    else out.push({ text: seg.text, color, bold });
  }
  return out;
}

export function LineView({ line }: { line: Line }) {
  const styled = styleLine(line, useTheme());
  if (styled.length === 1 && styled[0]!.color === undefined && !styled[0]!.bold) {
    return <Text wrap="truncate-end">{styled[0]!.text}</Text>;
  }
  return (
    <Text wrap="truncate-end">
      {styled.map((s, i) => (
        <Text key={i} color={s.color} bold={s.bold}>
          {s.text}
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
