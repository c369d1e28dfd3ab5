/** The theme reaches components through context, so tests and NO_COLOR need no module mocks. */
import { createContext, useContext } from 'react';
import type { Theme } from '../theme.ts';

export const ThemeContext = createContext<Theme>({ color: true });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
