/**
 * One timer per view drives spinners and elapsed times (not one per row): returns a counter
 * that advances every `ms` while `active`.
 */
import { useEffect, useState } from 'react';

export function useTicker(ms: number, active: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active || ms <= 0) return;
    const id = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(id);
  }, [ms, active]);
  return tick;
}
