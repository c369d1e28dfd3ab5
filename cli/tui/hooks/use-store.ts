/** Subscribes a component to a store's committed state (see stream-store.ts). */
import { useSyncExternalStore } from 'react';

export function useStore<S>(store: { getSnapshot(): S; subscribe(listener: () => void): () => void }): S {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
