/** The benchmark inputs vendored in `bench/data/` (see its README), which some tests also check against. */
export const benchDataDir = new URL('../../bench/data/', import.meta.url);
