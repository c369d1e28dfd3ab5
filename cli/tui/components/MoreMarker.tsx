/** "↑ 12 more" / "↓ 980 more": rows outside the window are counted, never hidden silently. */
import { Text } from 'ink';
import { toneColor } from '../theme.ts';
import { useTheme } from './theme-context.ts';

export function MoreMarker({ count, direction }: { count: number; direction: 'above' | 'below' }) {
  const theme = useTheme();
  const arrow = direction === 'above' ? '↑' : '↓';
  return <Text color={toneColor(theme, 'dim')}>{count > 0 ? `  ${arrow} ${count} more` : ' '}</Text>;
}
